import type { ChannelSettingsView, UpdateChannelSettingsRequest } from '../../api/messages.types'
import { encryptPersonalData, type PersonalDataKeys } from '../../core/identity/personal-data'
import { err, ok, type Result } from '../../core/shared/result'
import { maskEmail } from '../../core/shared/mask'
import type { MessagesDeps } from './deps'
import { channelView } from './get-channel-settings'
import { loadChannels, saveChannels, type ChannelFields } from './records'

/**
 * Change the caller's channels. E-mail on needs an address (given now or before); removing the
 * address turns e-mail off. The address is stored encrypted, answered masked. A refused change
 * (`VALIDATION_FAILED`) stores nothing.
 */
export async function updateChannelSettings(
  deps: MessagesDeps & { personalData: PersonalDataKeys },
  input: { userId: string; change: UpdateChannelSettingsRequest },
): Promise<Result<ChannelSettingsView>> {
  const { change } = input
  for (let attempt = 0; attempt < 3; attempt++) {
    const { version, ...current } = await loadChannels(deps.metadata, input.userId)
    const next: ChannelFields = { ...current, updatedAt: deps.clock.now().toISOString() }
    if (change.sms !== undefined) next.sms = change.sms
    if (change.wechat !== undefined) next.wechat = change.wechat
    if (change.emailAddress === null) {
      delete next.emailEnc
      delete next.maskedEmail
      next.email = false
    } else if (change.emailAddress !== undefined) {
      next.emailEnc = encryptPersonalData(deps.personalData, 'email', change.emailAddress)
      next.maskedEmail = maskEmail(change.emailAddress)
    }
    if (change.email !== undefined) next.email = change.email
    if (next.email && !next.emailEnc) return err('VALIDATION_FAILED', '开启邮件通知前请先填写邮箱地址', { fields: [{ field: 'emailAddress', message: '请填写邮箱地址' }] })
    if (await saveChannels(deps.metadata, input.userId, next, version)) return ok(channelView(next))
  }
  return err('CONFLICT', '设置已被修改，请刷新后重试')
}
