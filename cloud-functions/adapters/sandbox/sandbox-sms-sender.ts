import type { SmsNotice, SmsPurpose, SmsSendResult, SmsSender } from '../../ports/sms-sender'
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

  async sendNotice(input: { phone: string; notice: SmsNotice }): Promise<SmsSendResult> {
    const entry = await this.outbox.addNotice({ phone: input.phone, text: noticeText(input.notice), link: 'link' in input.notice ? input.notice.link : undefined })
    return { ok: true, messageId: entry.id }
  }
}

/** The text a phone would show for a contract notice. */
export function noticeText(n: SmsNotice): string {
  switch (n.kind) {
    case 'sign-request':
      return `【签约·沙箱】${n.sender}邀请您签署《${n.title}》，请在 ${n.deadline} 前完成签署：${n.link}`
    case 'completed':
      return `【签约·沙箱】《${n.title}》已全部签署完成，可查看和下载：${n.link}`
    case 'declined':
      return `【签约·沙箱】《${n.title}》已被${n.by}拒签，原因：${n.reason}`
    case 'revoked':
      return `【签约·沙箱】《${n.title}》已被发起方撤销，原因：${n.reason}`
    case 'expired':
      return `【签约·沙箱】《${n.title}》已超过签署截止时间，签署已终止。`
    case 'reminder':
      return `【签约·沙箱】${n.sender}提醒您签署《${n.title}》，请在 ${n.deadline} 前完成签署：${n.link}`
    case 'validity-ending':
      return `【签约·沙箱】《${n.title}》将于 ${n.validUntil} 到期（还有 ${n.days} 天），如需继续合作请及时续签：${n.link}`
    case 'approval-request':
      return `【签约·沙箱】${n.sender}提交的《${n.title}》待您审批：${n.link}`
    case 'approval-rejected':
      return `【签约·沙箱】《${n.title}》的审批被${n.by}驳回，意见：${n.reason}`
  }
}
