import type { SmsPurpose, SmsSendResult, SmsSender } from '../../ports/sms-sender'
import type { SandboxOutbox } from './sandbox-outbox'

const PURPOSE_TEXT: Record<SmsPurpose, string> = {
  login: '登录',
  intent: '签署意愿确认',
  authorization: '企业授权书签署确认',
}

/** {@link SmsSender} of the sandbox: nothing leaves the machine; the message lands in the {@link SandboxOutbox}. */
export class SandboxSmsSender implements SmsSender {
  constructor(private readonly outbox: SandboxOutbox) {}

  describe() {
    return { kind: 'sandbox' as const }
  }

  async sendVerificationCode(input: { phone: string; code: string; purpose: SmsPurpose; ttlMinutes: number }): Promise<SmsSendResult> {
    const text = `【签约·沙箱】您的${PURPOSE_TEXT[input.purpose]}验证码为 ${input.code}，${input.ttlMinutes} 分钟内有效。如非本人操作请忽略。`
    const entry = await this.outbox.addSms({ phone: input.phone, text, code: input.code })
    return { ok: true, messageId: entry.id }
  }
}
