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
import { renderReportPdf } from '../../core/evidence/report-pdf'
import { prepareEvidenceReport, type EvidenceReportInput } from '../../core/evidence/prepare-evidence-report'
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
  | { op: 'evidence-report'; input: EvidenceReportInput }
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
      /**
       * Worker: the signer's certificate chain travels with the task (one round trip fewer), and its
       * key and the TSA answer `sign` and `timestamp` over `keysPort`. Inline: `keys` directly.
       */
      certificateChain?: Uint8Array[]
      /** Worker: the main thread's signer says `keyMatchesChain` (see `Signer`). */
      keyMatchesChain?: boolean
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
    case 'evidence-report': {
      const doc = prepareEvidenceReport(task.input)
      return doc.ok ? ok(await renderReportPdf(doc.value, env.textFont())) : doc
    }
    case 'fill-placeholders':
      return fillPlaceholders(task.bytes, task.placeholders, task.values, env.textFont())
    case 'read-spreadsheet':
      return readSpreadsheet(task.bytes)
    case 'render-page':
      return env.renderPage({ pdf: task.bytes, pageIndex: task.pageIndex, width: task.width })
    case 'verify': {
      let revocation = task.revocation
      // Both questions go back to the main thread, where the OCSP responder and the certificate registry live.
      if (!revocation && task.revocationPort) revocation = new MainThreadCalls(new RpcClient(task.revocationPort))
      try {
        return await verifyPdf(task.bytes, { trustRoots: task.trustRoots, now: task.now, revocation })
      } finally {
        task.revocationPort?.close()
      }
    }
    case 'ltv': {
      let calls = task.calls
      if (!calls && task.callsPort) calls = new MainThreadCalls(new RpcClient(task.callsPort))
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
        if (!task.certificateChain) throw new Error('a signing task on a worker needs the certificate chain')
        const client = new RpcClient(task.keysPort)
        const signer = new RpcSigner(client, task.keyAlgorithm, task.certificateChain, task.hasTsa, task.keyMatchesChain === true)
        keys = { signer, tsa: task.hasTsa ? new SignatureTimestamps(signer, new MainThreadCalls(client)) : undefined }
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

/**
 * The worker's end of a task's port: `call` posts `{ id, method, args }` and resolves with the
 * caller's reply. A class rather than closures made per task, so V8 keeps its optimized code (see
 * docs/ARCHITECTURE.md, "No closures made per call on hot paths").
 */
class RpcClient {
  private next = 0
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private readonly port: MessagePort

  constructor(port: MessagePort) {
    this.port = port
    port.on('message', this.onReply.bind(this))
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    const id = ++this.next
    const promise = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }))
    this.port.postMessage({ id, method, args } satisfies RpcCall)
    return promise
  }

  private onReply(reply: RpcReply): void {
    const w = this.waiting.get(reply.id)
    this.waiting.delete(reply.id)
    if (reply.error !== undefined) w?.reject(new Error(reply.error))
    else w?.resolve(reply.value)
  }
}

/**
 * The caller's signer, seen from the worker: its chain came with the task, its key answers over the
 * port. With `stampsSignatures` (the task has a TSA), `signData` asks for the signature and its
 * time-stamp in one round trip: a PAdES signature's next call is always the time-stamp of that
 * signature value, and every round trip wakes both threads. The token waits here for
 * {@link SignatureTimestamps}, which still checks its imprint like any other (`build-cms-signed-data.ts`).
 */
class RpcSigner implements Signer {
  readonly keyAlgorithm: Signer['keyAlgorithm']
  /** The main thread's signer's (`signData` goes to its `signData` through `signSha256`). */
  readonly keyMatchesChain: boolean
  private readonly client: RpcClient
  private readonly chain: Uint8Array[]
  private readonly stampsSignatures: boolean
  private stamped: SignedAndStamped | undefined

  constructor(client: RpcClient, keyAlgorithm: Signer['keyAlgorithm'], chain: Uint8Array[], stampsSignatures = false, keyMatchesChain = false) {
    this.client = client
    this.keyMatchesChain = keyMatchesChain
    this.keyAlgorithm = keyAlgorithm
    this.chain = chain
    this.stampsSignatures = stampsSignatures
  }

  async certificateChain(): Promise<Uint8Array[]> {
    return this.chain.map(copyBytes)
  }

  sign(digest: Uint8Array): Promise<Uint8Array> {
    return this.client.call('sign', [digest]) as Promise<Uint8Array>
  }

  /** The signed bytes go over (a few hundred): the main thread signs them in one native call when its key allows (`signSha256`). */
  async signData(data: Uint8Array): Promise<Uint8Array> {
    if (!this.stampsSignatures) return (await this.client.call('signData', [data])) as Uint8Array
    const stamped = (await this.client.call('signDataAndTimestamp', [data])) as SignedAndStamped
    this.stamped = stamped
    return stamped.signature
  }

  /** The token made with the last signature when `signatureValue` is that signature (once), else undefined. */
  takeTimestamp(signatureValue: Uint8Array): Uint8Array | undefined {
    const stamped = this.stamped
    if (!stamped || !Buffer.from(stamped.signature).equals(signatureValue)) return undefined
    this.stamped = undefined
    return stamped.token
  }
}

/** A signature value and the time-stamp token over it (`SigningCalls.signDataAndTimestamp` on the main thread). */
type SignedAndStamped = { signature: Uint8Array; token: Uint8Array }

/** A signing task's TSA on the worker: the token that came with the signature, else a call to the main thread. */
class SignatureTimestamps implements TimestampAuthority {
  private readonly signer: RpcSigner
  private readonly calls: MainThreadCalls
  constructor(signer: RpcSigner, calls: MainThreadCalls) {
    this.signer = signer
    this.calls = calls
  }
  timestamp(data: Uint8Array): Promise<Uint8Array> {
    const token = this.signer.takeTimestamp(data)
    return token ? Promise.resolve(token) : this.calls.timestamp(data)
  }
}

/**
 * The other calls a task makes to the main thread, over its port: the time-stamp of a signature,
 * the validation data and document time-stamp of an LTV revision, and the revocation questions of
 * a verification (a failed one counts as no answer: the report says the status is unknown).
 */
class MainThreadCalls implements TimestampAuthority, Pick<AddLtvOptions, 'validationData' | 'timestampDigest'>, RevocationSource {
  private readonly client: RpcClient
  constructor(client: RpcClient) {
    this.client = client
  }
  timestamp(data: Uint8Array): Promise<Uint8Array> {
    return this.client.call('timestamp', [data]) as Promise<Uint8Array>
  }
  validationData(certificates: Uint8Array[]): ReturnType<AddLtvOptions['validationData']> {
    return this.client.call('validationData', [certificates]) as ReturnType<AddLtvOptions['validationData']>
  }
  timestampDigest(digest: Uint8Array): Promise<Uint8Array> {
    return this.client.call('timestampDigest', [digest]) as Promise<Uint8Array>
  }
  async ocsp(certificate: Uint8Array, issuer: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return (await this.client.call('ocsp', [certificate, issuer])) as Uint8Array | undefined
    } catch {
      return undefined
    }
  }
  async registryStatus(certificate: Uint8Array, issuer: Uint8Array): Promise<RegistryStatus | undefined> {
    try {
      return (await this.client.call('registryStatus', [certificate, issuer])) as RegistryStatus | undefined
    } catch {
      return undefined
    }
  }
}

const copyBytes = (b: Uint8Array): Uint8Array => new Uint8Array(b)

/**
 * The caller's side: answer a worker's calls on `port` with the methods of `target` named in
 * `methods` (nothing else of it is reachable), until the port closes.
 */
export function serveRpc<T extends object>(port: MessagePort, target: T, methods: ReadonlyArray<keyof T & string>): void {
  new RpcServer(port, target, methods)
}

class RpcServer<T extends object> {
  private readonly port: MessagePort
  private readonly target: T
  private readonly methods: ReadonlySet<string>

  constructor(port: MessagePort, target: T, methods: ReadonlyArray<keyof T & string>) {
    this.port = port
    this.target = target
    this.methods = new Set(methods)
    port.on('message', this.onCall.bind(this))
  }

  private async onCall(call: RpcCall): Promise<void> {
    if (!this.methods.has(call.method)) {
      this.port.postMessage({ id: call.id, error: `no such call: ${call.method}` } satisfies RpcReply)
      return
    }
    let reply: RpcReply
    try {
      const method = (this.target as Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>)[call.method]
      if (typeof method !== 'function') throw new Error(`${call.method} is not available`)
      reply = { id: call.id, value: await method.apply(this.target, call.args) }
    } catch (e) {
      reply = { id: call.id, error: (e as Error)?.message ?? String(e) }
    }
    this.port.postMessage(reply)
  }
}
