/**
 * E-mail notices (issue 15) through the real SMTP adapter (nodemailer) to a real SMTP server
 * running in this process (smtp-server): a person who turned e-mail on gets the signing invitation
 * with a Chinese subject and body and the same signing link as the SMS; the address the server
 * refuses counts as not sent (the SMS still goes).
 */
import { SMTPServer } from 'smtp-server'
import { contractFlow, type Person } from '../support/contract-flow'
import { freePort, startTestApp, type TestApp } from '../support/local-app'

jest.setTimeout(300_000)

type Received = { to: string[]; raw: string }
const received: Received[] = []
let smtp: SMTPServer
let app: TestApp
let flow: ReturnType<typeof contractFlow>

beforeAll(async () => {
  const port = await freePort()
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('refused')) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        cb()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve))
  app = await startTestApp({ ESIGN_SMTP_HOST: '127.0.0.1', ESIGN_SMTP_PORT: String(port), ESIGN_SMTP_SECURE: 'false', ESIGN_SMTP_FROM: '签约 <noreply@qianyue.test>' })
  flow = contractFlow(app)
})
afterAll(async () => {
  await app?.stop()
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()))
})

/** RFC 2047 encoded words (`=?UTF-8?B?…?=` / `?Q?`) decoded. */
function decodeWords(s: string): string {
  return s.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  )
}

/** The subject and the text/plain part of a raw message. */
function parse(raw: string): { subject: string; text: string; html: string } {
  const [head] = raw.split(/\r?\n\r?\n/)
  const unfolded = head!.replace(/\r?\n[ \t]+/g, ' ')
  const subject = decodeWords(/^Subject: (.*)$/im.exec(unfolded)![1]!)
  const part = (type: string) => {
    const m = new RegExp(`Content-Type: ${type}[^]*?Content-Transfer-Encoding: ([\\w-]+)\\r?\\n\\r?\\n([^]*?)\\r?\\n--`, 'i').exec(raw)
    if (!m) return ''
    const [, enc, body] = m
    if (enc!.toLowerCase() === 'base64') return Buffer.from(body!.replace(/\s+/g, ''), 'base64').toString('utf8')
    if (enc!.toLowerCase() === 'quoted-printable') return Buffer.from(body!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
    return body!
  }
  return { subject, text: part('text/plain'), html: part('text/html') }
}

const sentContract = (sender: Person, signer: Person, title: string) =>
  flow.sendToPersons(sender, [signer], { order: [['A']], title, deadline: new Date(Date.now() + 7 * 86400_000) })

const smsTexts = async (phone: string) => ((await flow.outbox(phone)) as Array<{ code?: string; text: string }>).filter((e) => !e.code).map((e) => e.text)

it('a person with e-mail on gets the invitation by e-mail: Chinese subject and body, the signing link of the SMS', async () => {
  const [s, p] = await Promise.all([flow.verifiedPerson('吴发起', '13900007201', 81), flow.verifiedPerson('郑邮件', '13900007202', 82)])
  const on = await flow.call('PUT', '/api/messages/channels', { email: true, emailAddress: 'zheng@example.com' }, p.token)
  expect(on.status).toBe(200)
  const before = received.length

  await sentContract(s, p, '设备采购合同')

  const mails = received.slice(before)
  expect(mails).toHaveLength(1)
  expect(mails[0]!.to).toEqual(['zheng@example.com'])
  const mail = parse(mails[0]!.raw)
  expect(mail.subject).toBe('【签约】待您签署')
  expect(mail.text).toContain('吴发起邀请您签署「设备采购合同」')
  const sms = (await smsTexts(p.phone)).find((t) => t.includes('设备采购合同'))!
  const smsLink = /https?:\/\/\S+/.exec(sms)![0]
  const mailLink = /立即签署：(\S+)/.exec(mail.text)![1]
  expect(mailLink).toBe(smsLink)
  expect(mail.html).toContain(`href="${smsLink.replace(/&/g, '&#38;')}"`)
  expect(mails[0]!.raw).not.toContain('13900007202')
})

it('an address the server refuses is not counted as sent; the SMS and the in-app message still go', async () => {
  const [s, p] = await Promise.all([flow.verifiedPerson('冯发起', '13900007203', 83), flow.verifiedPerson('陈拒收', '13900007204', 84)])
  expect((await flow.call('PUT', '/api/messages/channels', { email: true, emailAddress: 'refused@example.com' }, p.token)).status).toBe(200)
  const before = received.length
  const smsBefore = (await smsTexts(p.phone)).length

  await sentContract(s, p, '仓储服务合同')

  expect(received.length).toBe(before)
  expect((await smsTexts(p.phone)).length).toBe(smsBefore + 1)
  expect((await flow.call('GET', '/api/messages/unread-count', undefined, p.token)).body.unread).toBe(1)
  expect(app.logs()).toContain('e-mail notice refused by the server')
})
