import { Writable } from 'node:stream'
import { createLogger } from '../../../cloud-functions/runtime/logger'

function capture() {
  const lines: string[] = []
  const sink = new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) })
  return { logger: createLogger({ level: 'debug', destination: sink }), text: () => lines.join('') }
}

describe('logger', () => {
  const idNumber = '11010519491231002X'
  const phone = '13812345678'
  const account = '6222021234567890123'

  it('never writes a raw ID number, phone or bank account, under any key, in messages or errors', () => {
    const { logger, text } = capture()
    logger.info({ idNumber, phone, bankAccount: account, nested: { note: `call ${phone} about ${idNumber}` } }, `verifying ${idNumber} / ${phone}`)
    logger.warn({ err: new Error(`provider rejected ${idNumber} with phone +86${phone}`) }, 'provider error')
    logger.child({ mobile: phone }).error(`account ${account}`)
    const out = text()
    for (const raw of [idNumber, phone, account]) expect(out).not.toContain(raw)
    expect(out).toContain('1101**********002X')
    expect(out).toContain('138****5678')
    expect(out).toContain('6222***********0123')
  })

  it('redacts secrets and codes by key', () => {
    const { logger, text } = capture()
    logger.info({ code: '493021', token: 'qy1.abc.def', password: 'hunter2', contractId: 'C1' }, 'login')
    const record = JSON.parse(text())
    expect(record).toMatchObject({ code: '[redacted]', token: '[redacted]', password: '[redacted]', contractId: 'C1', level: 'info', msg: 'login' })
  })

  it('writes one JSON object per line with an ISO time', () => {
    const { logger, text } = capture()
    logger.info({ requestId: 'r1' }, 'hello')
    const record = JSON.parse(text())
    expect(record).toMatchObject({ requestId: 'r1', msg: 'hello', service: 'qianyue' })
    expect(new Date(record.time).toISOString()).toBe(record.time)
  })
})
