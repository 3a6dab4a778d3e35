import type { ChannelSettingsView } from '../../api/messages.types'
import { ok, type Result } from '../../core/shared/result'
import type { MessagesDeps } from './deps'
import { loadChannels, type ChannelFields } from './records'

export function channelView(c: ChannelFields): ChannelSettingsView {
  return { sms: c.sms, wechat: c.wechat, email: c.email, ...(c.maskedEmail ? { maskedEmail: c.maskedEmail } : {}) }
}

/** The caller's notification channels (defaults until they change them: SMS and WeChat on, e-mail off). */
export async function getChannelSettings(deps: MessagesDeps, input: { userId: string }): Promise<Result<ChannelSettingsView>> {
  return ok(channelView(await loadChannels(deps.metadata, input.userId)))
}
