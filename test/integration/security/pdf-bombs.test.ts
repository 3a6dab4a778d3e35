/**
 * Issue 19, PDF bombs over HTTP: small files built to make a reader allocate, loop or recurse
 * without end — a flate bomb (a content stream inflating to 1 GiB), a `/Length` far beyond the
 * file, an xref chain whose `/Prev` points at itself, two object streams that each hold the other,
 * 100,000 nested arrays, a 100,000-page tree and a page-tree cycle — sent to the upload route
 * (`POST /api/documents`) and to public verification (`POST /api/verify`) of a real local server.
 * Each answer is a typed refusal (4xx with an error code and a Chinese message, no stack trace) or,
 * for the flate bomb, which is valid PDF syntax, a stored document; never a 500. The server stays
 * healthy: `/api/health` answers after every file and its resident memory stays far from GBs.
 */
import zlib from 'node:zlib'
import { contractFlow, type Person } from '../../support/contract-flow'
import { startTestApp, type TestApp } from '../../support/local-app'

jest.setTimeout(600_000)

let app: TestApp
let sender: Person
beforeAll(async () => {
  app = await startTestApp()
  sender = await contractFlow(app).verifiedPerson('沈炸弹', '13900000019', 1919)
})
afterAll(() => app.stop())

const MEDIA = '/MediaBox [0 0 595 842]'

/** A classic PDF from `objects` (object i + 1 is `objects[i]`); `prevSelf` points the trailer's /Prev at its own section. */
function classicPdf(objects: Array<string | Buffer>, options: { trailer?: string; prevSelf?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let size = parts[0]!.length
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(size)
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')])
    parts.push(b)
    size += b.length
  })
  const xrefAt = size
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  const prev = options.prevSelf ? ` /Prev ${xrefAt}` : ''
  parts.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${prev}${options.trailer ?? ''} >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'))
  return Buffer.concat(parts)
}

const stream = (dict: string, data: Buffer): Buffer => Buffer.concat([Buffer.from(`<< ${dict} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')])

/** One page whose content stream is 1 GiB of spaces, deflated (about 1 MB). */
async function flateBomb(): Promise<Buffer> {
  const chunk = Buffer.alloc(16 * 1024 * 1024, 0x20)
  const deflate = zlib.createDeflate({ level: 9 })
  const pieces: Buffer[] = []
  deflate.on('data', (b: Buffer) => pieces.push(b))
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject))
  for (let i = 0; i < 64; i++) if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r))
  deflate.end()
  await done
  const data = Buffer.concat(pieces)
  return classicPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R ${MEDIA} /Contents 4 0 R >>`,
    stream(`/Length ${data.length} /Filter /FlateDecode`, data),
  ])
}

const bombs: Array<[string, () => Buffer | Promise<Buffer>]> = [
  ['a flate bomb (1 GiB of content from about 1 MB)', flateBomb],
  [
    'a /Length far beyond the end of the file',
    () =>
      classicPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        `<< /Type /Page /Parent 2 0 R ${MEDIA} /Contents 4 0 R >>`,
        stream('/Length 4000000000', Buffer.from('BT /F1 12 Tf 72 720 Td (bomb) Tj ET', 'latin1')),
      ]),
  ],
  [
    'an xref section whose /Prev points at itself',
    () => classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R ${MEDIA} >>`], { prevSelf: true }),
  ],
  ['two object streams that each hold the other', objectStreamLoop],
  [
    '100,000 nested arrays',
    () => classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R ${MEDIA} /Bomb ${'['.repeat(100_000)}${']'.repeat(100_000)} >>`]),
  ],
  ['a 100,000-page tree', hundredThousandPages],
  [
    'a page tree that contains itself',
    () =>
      classicPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
        `<< /Type /Page /Parent 2 0 R ${MEDIA} >>`,
        '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>',
      ]),
  ],
]

/** Objects 4 and 5 are object streams; the xref stream puts 4 inside 5 and 5 inside 4. */
function objectStreamLoop(): Buffer {
  const head = Buffer.from('%PDF-1.7\n', 'latin1')
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [3 0 R] /Count 1 >>`,
    `<< /Type /Page /Parent 2 0 R ${MEDIA} /Contents 4 0 R >>`,
  ]
  const parts: Buffer[] = [head]
  let size = head.length
  const offsets: number[] = []
  const add = (b: Buffer) => {
    offsets.push(size)
    parts.push(b)
    size += b.length
  }
  objs.forEach((o, i) => add(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1')))
  const xrefAt = size
  // 0 free; 1-3 in the file; 4 in object stream 5, 5 in object stream 4; 6 the xref stream.
  const row = (type: number, a: number, b: number) => Buffer.from([type, (a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255])
  const data = Buffer.concat([row(0, 0, 65535), ...offsets.map((o) => row(1, o, 0)), row(2, 5, 0), row(2, 4, 0), row(1, xrefAt, 0)])
  add(Buffer.concat([Buffer.from(`6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]))
  parts.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`, 'latin1'))
  return Buffer.concat(parts)
}

/** A balanced tree: 1,000 intermediate nodes of 100 leaves each (about 6 MB). */
function hundredThousandPages(): Buffer {
  const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>']
  const nodes = 1000
  const leaves = 100
  const nodeNum = (i: number) => 3 + i
  const leafNum = (i: number, j: number) => 3 + nodes + i * leaves + j
  objects.push(`<< /Type /Pages ${MEDIA} /Count ${nodes * leaves} /Kids [${Array.from({ length: nodes }, (_, i) => `${nodeNum(i)} 0 R`).join(' ')}] >>`)
  for (let i = 0; i < nodes; i++) objects.push(`<< /Type /Pages /Parent 2 0 R /Count ${leaves} /Kids [${Array.from({ length: leaves }, (_, j) => `${leafNum(i, j)} 0 R`).join(' ')}] >>`)
  for (let i = 0; i < nodes; i++) for (let j = 0; j < leaves; j++) objects.push(`<</Type/Page/Parent ${nodeNum(i)} 0 R>>`)
  return classicPdf(objects)
}

async function expectHealthy(): Promise<void> {
  expect((await fetch(`${app.url}/api/health`)).status).toBe(200)
  // The server runs in this process (startTestApp): its resident memory after the bomb.
  expect(process.memoryUsage().rss).toBeLessThan(1536 * 1024 * 1024)
}

function expectTypedAnswer(status: number, body: { error?: { code?: string; message?: string } }, accepted: number[]): void {
  expect(status).toBeLessThan(500)
  if (accepted.includes(status)) return
  expect(status).toBeGreaterThanOrEqual(400)
  expect(body.error?.code).toMatch(/^[A-Z_]+$/)
  expect(body.error?.message).toMatch(/[\u4e00-\u9fff]/)
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+|Error:/)
}

describe.each(bombs)('%s', (name, make) => {
  let bytes: Buffer
  beforeAll(async () => {
    bytes = await make()
    expect(bytes.length).toBeLessThan(20 * 1024 * 1024)
  })

  it('upload: refused with a typed 4xx or stored without following the bomb, the server healthy', async () => {
    const res = await fetch(`${app.url}/api/documents`, { method: 'POST', headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/pdf', 'x-file-name': 'bomb.pdf' }, body: bytes })
    const body = (await res.json()) as { error?: { code?: string; message?: string } }
    // Valid syntax whose bomb is never followed may be stored: the flate bomb (content is not inflated at
    // upload), a /Length past the end (the reader finds `endstream` instead), a /Prev to itself (each
    // xref section is read once). Everything else must be refused.
    const storable = /flate bomb|Length far|Prev points/.test(name) ? [200, 201] : []
    expectTypedAnswer(res.status, body, storable)
    if (!storable.length) expect(body.error?.code).toBeDefined()
    await expectHealthy()
  })

  it('public verification: a typed answer, never a 500, the server healthy', async () => {
    const res = await fetch(`${app.url}/api/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes })
    const body = (await res.json()) as { error?: { code?: string; message?: string } }
    // An unsigned file that parses is answered 200 with a report (no signatures).
    expectTypedAnswer(res.status, body, [200])
    await expectHealthy()
  })
})
