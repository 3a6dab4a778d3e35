import type { MessagePort } from 'node:worker_threads'
import type { VerificationReport } from '../../api/verification.types'
import { checkPdfStructure } from '../../core/documents/check-pdf-structure'
import { checkImageUpload, cleanImage, decodeImage, type CleanMode } from '../../core/seals/clean-image'
import type { SealFont } from '../../core/seals/drawing'
import { generateSeal, type SealSpec } from '../../core/seals/generate-seal'
import { renderHandwriting, type HandwritingInput } from '../../core/seals/handwriting'
import { encodePng, rasterise } from '../../core/seals/rasterise'
import type { TrueTypeFont } from '../../core/pdf/truetype-font'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import { signPdf } from '../../core/signing/sign-pdf'
import { addLtv, type AddLtvOptions } from '../../core/signing/add-ltv'
import { documentLayout, type DocumentLayout } from '../../core/signing/document-layout'
import { prepareDocument, type PrepareDocumentOptions } from '../../core/signing/prepare-document'
import { renderReportPdf, type ReportDocument } from '../../core/evidence/report-pdf'
import { verifyEvidencePackage, type PackageVerification } from '../../core/evidence/verify-evidence-package'
import { openForSigning } from '../../core/signing/repair-document'
import { PdfFormatError } from '../../core/pdf/pdf-errors'
import { PdfSyntaxError } from '../../core/pdf/object-parser'
import { pdfReadyImage, serializePdfReadyImage } from '../../core/pdf/png-image'
import { fillPlaceholders, type FillErrorCode } from '../../core/templates/fill-placeholders'
import { readSpreadsheet } from '../../core/bulk/read-spreadsheet'
import type { TemplatePlaceholder } from '../../core/templates/template'
import { createSignatureAppearance } from '../../core/signing/signature-appearance'
import { verifyPdf } from '../../core/verification/verify-pdf'
import type { CleanedImage, RasterImage, SignRequest } from '../../ports/cpu-work'
import type { PageImage, PageImageRequest, PageRenderErrorCode } from '../../ports/page-renderer'
import type { RegistryStatus, RevocationSource } from '../../ports/revocation-source'
import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'

/** One unit of CPU work, as it crosses to a worker thread (structured-clone data and ports only). */
export type CpuTask =
  | { op: 'handwriting'; input: HandwritingInput; pixelsPerMm: number; physicalSize: boolean }
  | { op: 'seal'; spec: SealSpec; pixelsPerMm: number }
  | { op: 'clean-image'; bytes: Uint8Array; mode: CleanMode }
  | { op: 'pdf-image'; png: Uint8Array }
  | { op: 'check-pdf'; bytes: Uint8Array }
  | { op: 'layout'; bytes: Uint8Array }
  | { op: 'prepare'; bytes: Uint8Array; options: PrepareDocumentOptions }
  | { op: 'render-page'; bytes: Uint8Array; pageIndex: number; width: number }
  | { op: 'report'; doc: ReportDocument }
  | { op: 'fill-placeholders'; bytes: Uint8Array; placeholders: TemplatePlaceholder[]; values: Record<string, string> }
  | { op: 'read-spreadsheet'; bytes: Uint8Array }
  | { op: 'verify-package'; files: Map<string, Uint8Array>; trustRoots: Uint8Array[]; now: Date }
  | { op: 'verify'; bytes: Uint8Array; trustRoots: Uint8Array[]; now: Date; revocationPort?: MessagePort; revocation?: RevocationSource }
  | {
      op: 'ltv'
      pdf: Uint8Array
      /** Worker: the caller answers `validationData` and `timestampDigest` over this port. Inline: `calls` directly. */
      callsPort?: MessagePort
      calls?: Pick<AddLtvOptions, 'validationData' | 'timestampDigest'>
    }
  | {
      op: 'sign'
      pdf: Uint8Array
      request: SignRequest
      keyAlgorithm: Signer['keyAlgorithm']
      hasTsa: boolean
      /** Worker: the caller's signer and TSA answer over this port. Inline: `keys` directly. */
      keysPort?: MessagePort
      keys?: { signer: Signer; tsa?: TimestampAuthority }
    }

export type CpuTaskResult =
  | Result<RasterImage>
  | Result<CleanedImage>
  | Awaited<ReturnType<typeof checkPdfStructure>>
  | Result<VerificationReport, DomainError<'NOT_A_PDF'>>
  | Result<DocumentLayout, DomainError<'NOT_A_PDF'>>
  | Result<Uint8Array, DomainError<'NOT_A_PDF'>>
  | Result<Uint8Array, DomainError<FillErrorCode>>
  | Result<PageImage, DomainError<PageRenderErrorCode>>
  | Awaited<ReturnType<typeof readSpreadsheet>>
  | PackageVerification
  | Uint8Array

/** A call over a task's port, and its answer. */
type RpcCall = { id: number; method: string; args: unknown[] }
type RpcReply = { id: number; value?: unknown; error?: string }

/**
 * Run one task with the core functions. The same code runs inline (Lambda) and in a worker thread
 * (local server), so both give the same bytes.
 */
export type CpuTaskEnv = {
  sealFont: () => SealFont
  textFont: () => TrueTypeFont
  /** Page images: PDFium loaded once per thread (cpu-worker.ts), or a queued renderer inline. */
  renderPage: (request: PageImageRequest) => Promise<Result<PageImage, DomainError<PageRenderErrorCode>>>
}

export async function runCpuTask(task: CpuTask, env: CpuTaskEnv): Promise<CpuTaskResult> {
  switch (task.op) {
    case 'handwriting': {
      const drawing = renderHandwriting(task.input)
      if (!drawing.ok) return drawing
      const image = rasterise(drawing.value, undefined, task.pixelsPerMm)
      return ok({
        png: encodePng(image, task.physicalSize ? task.pixelsPerMm : undefined),
        width: image.width,
        height: image.height,
        widthMm: drawing.value.width,
        heightMm: drawing.value.height,
      })
    }
    case 'seal': {
      const font = env.sealFont()
      const drawing = generateSeal(task.spec, font)
      if (!drawing.ok) return drawing
      const image = rasterise(drawing.value, font, task.pixelsPerMm)
      return ok({ png: encodePng(image, task.pixelsPerMm), width: image.width, height: image.height, widthMm: drawing.value.width, heightMm: drawing.value.height })
    }
    case 'clean-image': {
      const info = checkImageUpload(task.bytes)
      if (!info.ok) return info
      const decoded = decodeImage(task.bytes, info.value)
      if (!decoded.ok) return decoded
      const cleaned = cleanImage(decoded.value, task.mode)
      if (!cleaned.ok) return cleaned
      return ok({ png: encodePng(cleaned.value), width: cleaned.value.width, height: cleaned.value.height })
    }
    case 'pdf-image':
      return serializePdfReadyImage(pdfReadyImage(task.png))
    case 'check-pdf':
      return checkPdfStructure(task.bytes)
    case 'layout': {
      try {
        const { reader } = await openForSigning(task.bytes)
        return ok(documentLayout(reader))
      } catch (e) {
        if (isPdfDamage(e)) return err('NOT_A_PDF', '文件不是可读的 PDF', { reason: damageReason(e) })
        throw e
      }
    }
    case 'prepare': {
      try {
        return ok((await prepareDocument(task.bytes, task.options, task.options.stamp?.label ? env.textFont() : undefined)).bytes)
      } catch (e) {
        if (isPdfDamage(e)) return err('NOT_A_PDF', '文件已损坏，无法准备签署', { reason: damageReason(e) })
        throw e
      }
    }
    case 'verify-package':
      return verifyEvidencePackage(task.files, { trustRoots: task.trustRoots, now: task.now })
    case 'report':
      return renderReportPdf(task.doc, env.textFont())
    case 'fill-placeholders':
      return fillPlaceholders(task.bytes, task.placeholders, task.values, env.textFont())
    case 'read-spreadsheet':
      return readSpreadsheet(task.bytes)
    case 'render-page':
      return env.renderPage({ pdf: task.bytes, pageIndex: task.pageIndex, width: task.width })
    case 'verify': {
      let revocation = task.revocation
      if (!revocation && task.revocationPort) {
        const call = rpcClient(task.revocationPort)
        // Both questions go back to the main thread, where the OCSP responder and the certificate registry live.
        revocation = {
          ocsp: (certificate, issuer) => call('ocsp', certificate, issuer).then((der) => der as Uint8Array | undefined, () => undefined),
          registryStatus: (certificate, issuer) => call('registryStatus', certificate, issuer).then((status) => status as RegistryStatus | undefined, () => undefined),
        }
      }
      try {
        return await verifyPdf(task.bytes, { trustRoots: task.trustRoots, now: task.now, revocation })
      } finally {
        task.revocationPort?.close()
      }
    }
    case 'ltv': {
      let calls = task.calls
      if (!calls && task.callsPort) {
        const call = rpcClient(task.callsPort)
        calls = {
          validationData: (certificates) => call('validationData', certificates) as ReturnType<AddLtvOptions['validationData']>,
          timestampDigest: (digest) => call('timestampDigest', digest) as Promise<Uint8Array>,
        }
      }
      if (!calls) throw new Error('an LTV task needs its validation data and time-stamp calls')
      try {
        return (await addLtv(task.pdf, calls)).toBytes()
      } finally {
        task.callsPort?.close()
      }
    }
    case 'sign': {
      let keys = task.keys
      if (!keys && task.keysPort) {
        const call = rpcClient(task.keysPort)
        keys = {
          signer: {
            keyAlgorithm: task.keyAlgorithm,
            certificateChain: () => call('certificateChain') as Promise<Uint8Array[]>,
            sign: (digest) => call('sign', digest) as Promise<Uint8Array>,
          },
          tsa: task.hasTsa ? { timestamp: (data) => call('timestamp', data) as Promise<Uint8Array> } : undefined,
        }
      }
      if (!keys) throw new Error('a signing task needs the signer')
      try {
        const { appearance, ...options } = task.request
        const sealed = await signPdf(task.pdf, {
          ...options,
          signer: keys.signer,
          tsa: keys.tsa,
          appearance: appearance ? createSignatureAppearance({ ...appearance, font: env.textFont() }) : undefined,
        })
        return ok(sealed.toBytes())
      } catch (e) {
        // A stored revision whose objects do not parse (fuzz case 6216 of seed 19): a typed refusal, not a 500.
        if (isPdfDamage(e)) return err('NOT_A_PDF', '合同文件已损坏，无法签署', { reason: damageReason(e) })
        throw e
      } finally {
        task.keysPort?.close()
      }
    }
    default:
      return err('INTERNAL', 'unknown CPU task')
  }
}

/** A file the PDF reader cannot use: its structure (`PdfFormatError`) or one object's syntax (`PdfSyntaxError`). */
function isPdfDamage(e: unknown): e is PdfFormatError | PdfSyntaxError {
  return e instanceof PdfFormatError || e instanceof PdfSyntaxError
}

const damageReason = (e: PdfFormatError | PdfSyntaxError): string => (e instanceof PdfFormatError ? e.code : 'BROKEN_OBJECT')

/** Calls to the caller's side over `port` (the worker's end). */
function rpcClient(port: MessagePort): (method: string, ...args: unknown[]) => Promise<unknown> {
  let next = 0
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  port.on('message', (reply: RpcReply) => {
    const w = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.error !== undefined) w?.reject(new Error(reply.error))
    else w?.resolve(reply.value)
  })
  return (method, ...args) =>
    new Promise((resolve, reject) => {
      const id = ++next
      waiting.set(id, { resolve, reject })
      port.postMessage({ id, method, args } satisfies RpcCall)
    })
}

/** The caller's side: answer a worker's calls with `handlers` until the port closes. */
export function serveRpc(port: MessagePort, handlers: Record<string, (...args: never[]) => Promise<unknown>>): void {
  port.on('message', (call: RpcCall) => {
    const handler = handlers[call.method] as ((...args: unknown[]) => Promise<unknown>) | undefined
    if (!handler) {
      port.postMessage({ id: call.id, error: `no such call: ${call.method}` } satisfies RpcReply)
      return
    }
    handler(...call.args).then(
      (value) => port.postMessage({ id: call.id, value } satisfies RpcReply),
      (e: unknown) => port.postMessage({ id: call.id, error: (e as Error)?.message ?? String(e) } satisfies RpcReply),
    )
  })
}
