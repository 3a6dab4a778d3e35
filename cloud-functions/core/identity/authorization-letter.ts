import { createHash } from 'node:crypto'
import { IncrementalWriter } from '../pdf/incremental-writer'
import { PdfString, dict, formatNumber } from '../pdf/pdf-objects'
import { PdfReader } from '../pdf/pdf-reader'
import { TrueTypeFont } from '../pdf/truetype-font'

export type AuthorizationLetterInput = {
  letterId: string
  companyName: string
  creditCode: string
  legalRepName: string
  /** The person authorised to administer the company account (verified name). */
  delegateName: string
  /** Masked only: `138****0001`. */
  delegateMaskedPhone: string
  platformName: string
  issuedAt: Date
  /** TrueType CJK font (Noto Sans SC), embedded as a subset. */
  font: TrueTypeFont
}

/** Where the legal representative's signature goes on the letter's only page: [x, y, w, h]. */
export const LETTER_SIGNATURE_RECT: [number, number, number, number] = [330, 120, 180, 110]

const PAGE = { width: 595.28, height: 841.89 }
const MARGIN = 72

/**
 * The legal-representative authorisation letter (企业授权书) as an unsigned one-page A4 PDF:
 * pdf-lib writes the page, then one incremental revision adds the text in an embedded subset of
 * the CJK font. The legal representative then signs it through the signing engine
 * (`signPdf`, visible stamp at {@link LETTER_SIGNATURE_RECT}). Deterministic for equal input.
 *
 * @example
 * const pdf = await buildAuthorizationLetter({ letterId, companyName, creditCode, legalRepName, delegateName, ... })
 */
export async function buildAuthorizationLetter(input: AuthorizationLetterInput): Promise<Uint8Array> {
  // pdf-lib is loaded on first use: it is the largest library in the bundles that reach this file.
  const { PDFDocument } = await import('pdf-lib')
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle('企业授权书', { showInWindowTitleBar: true })
  doc.setProducer('Qianyue')
  doc.setCreationDate(input.issuedAt)
  doc.setModificationDate(input.issuedAt)
  doc.addPage([PAGE.width, PAGE.height])
  const base = await doc.save({ useObjectStreams: false })

  const date = chinaDate(input.issuedAt)
  const paragraphs = [
    `致：${input.platformName}`,
    `本人${input.legalRepName}，系${input.companyName}（统一社会信用代码：${input.creditCode}）的法定代表人，现授权${input.delegateName}（手机号：${input.delegateMaskedPhone}）作为本企业在${input.platformName}的管理员，代表本企业办理企业实名认证、管理企业成员与印章、签署电子合同。`,
    '被授权人在授权范围内实施的行为，本企业均予以认可并承担相应的法律责任。',
    '授权期限：自本授权书签署之日起，至本企业通过平台书面撤销授权之日止。',
    '本授权书由法定代表人以可靠的电子签名签署，与手写签名或盖章具有同等法律效力。',
  ]
  const footer = [`授权书编号：${input.letterId}`, `出具日期：${date}`, `法定代表人（签名）：${input.legalRepName}`]
  const title = '企业授权书'

  const reader = PdfReader.open(base)
  const writer = new IncrementalWriter(reader)
  const subset = input.font.subset()
  for (const t of [title, ...paragraphs, ...footer]) subset.use(t)
  const bodySize = 12
  const width = PAGE.width - 2 * MARGIN
  const lines: Array<{ text: string; size: number; x: number; y: number }> = []
  let y = PAGE.height - MARGIN - 24
  lines.push({ text: title, size: 22, x: (PAGE.width - subset.width(title, 22)) / 2, y })
  y -= 48
  for (const [i, p] of paragraphs.entries()) {
    const indent = i === 0 ? 0 : bodySize * 2
    for (const [j, line] of wrap(p, (t) => subset.width(t, bodySize), width, indent).entries()) {
      lines.push({ text: line, size: bodySize, x: MARGIN + (j === 0 ? indent : 0), y })
      y -= bodySize * 1.9
    }
    y -= bodySize * 0.8
  }
  let fy = LETTER_SIGNATURE_RECT[1] + LETTER_SIGNATURE_RECT[3] + 60
  for (const f of footer) {
    lines.push({ text: f, size: bodySize, x: MARGIN, y: fy })
    fy -= bodySize * 1.9
  }
  const fontRef = subset.embed(writer, subsetTag(input.letterId))
  const content = lines.map((l) => `BT /F1 ${formatNumber(l.size)} Tf ${formatNumber(l.x)} ${formatNumber(l.y)} Td ${subset.encode(l.text)} Tj ET`).join('\n') + '\n'
  const contentRef = writer.allocate()
  writer.setStream(contentRef, dict({}), Buffer.from(content, 'latin1'))
  const pageRef = reader.pageRef(0)
  const page = reader.dictAt(pageRef)!.clone()
  page.set('Contents', contentRef)
  page.set('Resources', dict({ Font: dict({ F1: fontRef }) }))
  writer.set(pageRef, page)
  writer.setInfo({ Subject: PdfString.text(`${input.companyName} 法定代表人授权书`), Keywords: PdfString.latin1(input.letterId) })
  return writer.buildFile()
}

/** Break `text` into lines no wider than `max` (CJK text wraps between any two characters). */
function wrap(text: string, measure: (t: string) => number, max: number, firstIndent: number): string[] {
  const out: string[] = []
  let line = ''
  for (const ch of text) {
    const limit = out.length === 0 ? max - firstIndent : max
    // no line starts with closing punctuation ，。、；：）」』”;
    // escaped: esbuild keeps non-ASCII in regular expressions, and a non-ASCII bundle is a slower cold start
    if (line && measure(line + ch) > limit && !/^[\uff0c\u3002\u3001\uff1b\uff1a\uff09\u300d\u300f\u201d]$/.test(ch)) {
      out.push(line)
      line = ''
    }
    line += ch
  }
  if (line) out.push(line)
  return out
}

function chinaDate(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600 * 1000)
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日`
}

function subsetTag(seed: string): string {
  const h = createHash('sha256').update(`letter:${seed}`).digest()
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('')
}
