import nodemailer, { type Transporter } from 'nodemailer'
import type { EmailSendResult, EmailSender } from '../../ports/email-sender'

export type SmtpOptions = { host: string; port: number; secure: boolean; user?: string; password?: string; from: string; timeoutMs: number }

/**
 * {@link EmailSender} over SMTP (nodemailer): implicit TLS when `secure` (port 465), STARTTLS when
 * the server offers it otherwise; login with `user`/`password` when given. A recipient the server
 * refuses is `ok: false` (nothing counts as sent unless the server accepted it).
 */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter
  constructor(private readonly o: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      host: o.host,
      port: o.port,
      secure: o.secure,
      ...(o.user ? { auth: { user: o.user, pass: o.password ?? '' } } : {}),
      connectionTimeout: o.timeoutMs,
      greetingTimeout: o.timeoutMs,
      socketTimeout: o.timeoutMs,
    })
  }

  async send(input: { to: string; subject: string; text: string; html: string }): Promise<EmailSendResult> {
    try {
      const info = await this.transport.sendMail({ from: this.o.from, to: input.to, subject: input.subject, text: input.text, html: input.html })
      if ((info.rejected ?? []).length > 0 || (info.accepted ?? []).length === 0) return { ok: false, reason: 'rejected', response: String(info.response ?? '') }
      return { ok: true, messageId: String(info.messageId) }
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode
      if (code && code >= 500) return { ok: false, reason: 'rejected', response: String(code) }
      throw e
    }
  }
}
