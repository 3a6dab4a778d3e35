/**
 * Sends e-mail notices. Implemented by `adapters/smtp/smtp-email-sender.ts` (nodemailer over the
 * SMTP server configured by `ESIGN_SMTP_*`). A message the server refused is `ok: false`; an
 * unreachable server throws.
 */
export interface EmailSender {
  send(input: { to: string; subject: string; text: string; html: string }): Promise<EmailSendResult>
}

export type EmailSendResult = { ok: true; messageId: string } | { ok: false; reason: 'rejected'; response: string }
