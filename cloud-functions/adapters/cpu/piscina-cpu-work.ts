import type { TemplatePlaceholder } from '../../core/templates/template'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { err, type DomainError, type Result } from '../../core/shared/result'
import type { CleanMode } from '../../core/seals/clean-image'
import type { CleanedImage, CpuWork, RasterImage, SignRequest, VerifyWork } from '../../ports/cpu-work'
import type { PrepareDocumentOptions } from '../../core/signing/prepare-document'
import type { EvidenceReportInput } from '../../core/evidence/prepare-evidence-report'
import type { PackageVerification } from '../../core/evidence/verify-evidence-package'
import type { AddLtvOptions } from '../../core/signing/add-ltv'
import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'
import { serveRpc, type CpuTask, type CpuTaskResult } from './cpu-task'
import { signSha256 } from '../../core/pki/sign-sha256'
import type { CpuWorkerData } from './cpu-worker-data'

export type PiscinaCpuWorkOptions = {
  /** Absolute path of the compiled worker entry (`cpu-worker.js`). */
  workerFile: string
  /** Worker threads at most. */
  threads: number
  /** Tasks waiting for a thread at most; beyond, `UNAVAILABLE` (503) instead of an ever longer queue. */
  maxQueue: number
  /** A task still running after this long is stopped (its thread is replaced) and answered `UNAVAILABLE`; default 60 s. */
  taskTimeoutMs?: number
  /**
   * `ESIGN_ASSET_DIR` (the Lambda layer's `/opt/qianyue-assets`): each thread reads the CJK fonts
   * and `pdfium.wasm` from there instead of node_modules, as the main thread does.
   */
  assetDir?: string
  /**
   * Nice steps below the event loop for each thread (Linux; `ESIGN_CPU_WORKER_NICE`, local default
   * 10): the threads take the CPU time the event loop leaves. 0 or absent: the same priority.
   */
  niceness?: number
  /** The CPUs each thread runs on (`CpuWorkerData.cpus`): the process's, when its event loop is kept on one. */
  cpus?: number[]
}

/**
 * CPU work on a pool of worker threads (piscina): the event loop that serves requests only posts
 * the task and awaits the answer, so `/api/health` and every other request keep being answered
 * while a seal is drawn or a PDF verified. Revocation questions of a verification come back to
 * this thread over a `MessageChannel` (the certificate registry lives here).
 */
export class PiscinaCpuWork implements CpuWork {
  private readonly pool: Piscina
  private readonly taskTimeoutMs: number
  /** Tasks running or waiting, at most; counted here (piscina's own `maxQueue` does not count tasks that carry an abort signal). */
  private readonly capacity: number
  private inFlight = 0
  /** Heavy tasks waiting for a slot, woken one at a time as tasks finish. */
  private waiting: Array<() => void> = []

  constructor(options: PiscinaCpuWorkOptions) {
    this.taskTimeoutMs = options.taskTimeoutMs ?? 60_000
    this.capacity = options.threads + options.maxQueue
    this.pool = new Piscina({
      filename: options.workerFile,
      name: 'runTask',
      minThreads: 0,
      maxThreads: options.threads,
      idleTimeout: 30_000,
      // Nothing reads piscina's run- and wait-time histograms: no histogram update per task.
      recordTiming: false,
      workerData: { assetDir: options.assetDir, niceness: options.niceness, ...(options.cpus ? { cpus: options.cpus } : {}) } satisfies CpuWorkerData,
    })
  }

  handwritingPng(input: Parameters<CpuWork['handwritingPng']>[0], pixelsPerMm: number, physicalSize: boolean): Promise<Result<RasterImage>> {
    return this.run({ op: 'handwriting', input, pixelsPerMm, physicalSize }) as Promise<Result<RasterImage>>
  }

  sealPng(spec: Parameters<CpuWork['sealPng']>[0], pixelsPerMm: number): Promise<Result<RasterImage>> {
    return this.run({ op: 'seal', spec, pixelsPerMm }) as Promise<Result<RasterImage>>
  }
  cleanImagePng(bytes: Uint8Array, mode: CleanMode): Promise<Result<CleanedImage>> {
    return this.run({ op: 'clean-image', bytes, mode }) as Promise<Result<CleanedImage>>
  }
  async pdfImage(png: Uint8Array): Promise<Uint8Array> {
    const bytes = await this.run({ op: 'pdf-image', png })
    if (!(bytes instanceof Uint8Array)) throw new Error('the CPU worker answered a pdf-image task without bytes')
    return bytes
  }
  checkPdfStructure(bytes: Uint8Array): ReturnType<CpuWork['checkPdfStructure']> {
    return this.run({ op: 'check-pdf', bytes }) as ReturnType<CpuWork['checkPdfStructure']>
  }
  documentLayout(pdf: Uint8Array): ReturnType<CpuWork['documentLayout']> {
    return this.run({ op: 'layout', bytes: pdf }) as ReturnType<CpuWork['documentLayout']>
  }
  prepareDocument(pdf: Uint8Array, options: PrepareDocumentOptions): ReturnType<CpuWork['prepareDocument']> {
    return this.run({ op: 'prepare', bytes: pdf, options }) as ReturnType<CpuWork['prepareDocument']>
  }
  async verifyEvidencePackage(files: Map<string, Uint8Array>, work: { trustRoots: Uint8Array[]; now: Date }): Promise<PackageVerification> {
    return (await this.run({ op: 'verify-package', files, ...work })) as PackageVerification
  }
  readSpreadsheet(bytes: Uint8Array): ReturnType<CpuWork['readSpreadsheet']> {
    return this.run({ op: 'read-spreadsheet', bytes }) as ReturnType<CpuWork['readSpreadsheet']>
  }
  fillPlaceholders(pdf: Uint8Array, placeholders: TemplatePlaceholder[], values: Record<string, string>): ReturnType<CpuWork['fillPlaceholders']> {
    return this.run({ op: 'fill-placeholders', bytes: pdf, placeholders, values }) as ReturnType<CpuWork['fillPlaceholders']>
  }
  renderEvidenceReport(input: EvidenceReportInput): ReturnType<CpuWork['renderEvidenceReport']> {
    return this.run({ op: 'evidence-report', input }) as ReturnType<CpuWork['renderEvidenceReport']>
  }

  renderPage(pdf: Uint8Array, pageIndex: number, width: number): ReturnType<CpuWork['renderPage']> {
    return this.run({ op: 'render-page', bytes: pdf, pageIndex, width }) as ReturnType<CpuWork['renderPage']>
  }

  async verifyPdf(bytes: Uint8Array, work: VerifyWork): ReturnType<CpuWork['verifyPdf']> {
    const task: CpuTask = { op: 'verify', bytes, trustRoots: work.trustRoots, now: work.now }
    if (!work.revocation) return this.run(task) as ReturnType<CpuWork['verifyPdf']>
    const { port1, port2 } = new MessageChannel()
    serveRpc(port1, work.revocation, ['ocsp', 'registryStatus'])
    try {
      return (await this.run({ ...task, revocationPort: port2 }, [port2])) as Awaited<ReturnType<CpuWork['verifyPdf']>>
    } finally {
      port1.close()
    }
  }

  async addLtv(pdf: Uint8Array, calls: Pick<AddLtvOptions, 'validationData' | 'timestampDigest'>): Promise<Uint8Array> {
    const { port1, port2 } = new MessageChannel()
    serveRpc(port1, calls, ['validationData', 'timestampDigest'])
    try {
      return (await this.run({ op: 'ltv', pdf, callsPort: port2 }, [port2])) as Uint8Array
    } finally {
      port1.close()
    }
  }

  async signPdf(pdf: Uint8Array, request: SignRequest, keys: { signer: Signer; tsa?: TimestampAuthority }): Promise<Result<Uint8Array, DomainError<'NOT_A_PDF'>>> {
    const { signer, tsa } = keys
    // The chain goes with the task; only the key and the TSA are asked over the port.
    const certificateChain = await signer.certificateChain()
    const { port1, port2 } = new MessageChannel()
    serveRpc(port1, new SigningCalls(signer, tsa), ['sign', 'signData', 'signDataAndTimestamp', 'timestamp'])
    try {
      const task: CpuTask = { op: 'sign', pdf, request, keyAlgorithm: signer.keyAlgorithm, hasTsa: tsa !== undefined, certificateChain, keyMatchesChain: signer.keyMatchesChain === true, keysPort: port2 }
      return (await this.run(task, [port2])) as Result<Uint8Array, DomainError<'NOT_A_PDF'>>
    } finally {
      port1.close()
    }
  }

  close(): Promise<void> {
    return this.pool.destroy()
  }

  /**
   * Post `task`; a full queue or a task past its time is `UNAVAILABLE` (503) for the tasks that
   * answer a `Result`, an exception for signing (its caller gets no partial file either way).
   */
  private async run(task: CpuTask, transferList?: MessagePort[]): Promise<CpuTaskResult> {
    if (this.inFlight >= this.capacity) {
      // Signing, preparing, LTV and page images wait for a slot (up to the task time): a signer who
      // pressed "sign" during a burst (100 contracts at once) is served late, not refused with a 500.
      // The other tasks answer `UNAVAILABLE` at once.
      if (task.op === 'sign' || task.op === 'prepare' || task.op === 'ltv' || task.op === 'pdf-image') await this.waitForSlot()
      else return err('UNAVAILABLE', '服务繁忙，请稍后重试') as CpuTaskResult
    }
    this.inFlight++
    try {
      return (await this.pool.run(task, { ...(transferList ? { transferList } : {}), signal: AbortSignal.timeout(this.taskTimeoutMs) })) as CpuTaskResult
    } catch (e) {
      const error = e as Error
      if ((error.name === 'AbortError' || error.name === 'TimeoutError') && task.op !== 'sign' && task.op !== 'prepare' && task.op !== 'ltv') return err('UNAVAILABLE', '处理超时，请稍后重试') as CpuTaskResult
      throw e
    } finally {
      this.inFlight--
      this.waiting.shift()?.()
    }
  }

  /** Resolves when a slot is free; throws after `taskTimeoutMs` (no partial file is written either way). */
  private async waitForSlot(): Promise<void> {
    const deadline = Date.now() + this.taskTimeoutMs
    while (this.inFlight >= this.capacity) {
      if (Date.now() >= deadline) throw new Error('the CPU worker pool is full')
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting = this.waiting.filter((w) => w !== wake)
          resolve()
        }, Math.max(1, deadline - Date.now()))
        const wake = () => {
          clearTimeout(timer)
          resolve()
        }
        this.waiting.push(wake)
      })
    }
  }
}

/** What a signing task may ask the main thread for: a signature by the signer's key (over a digest or over the signed bytes), and a time-stamp. */
class SigningCalls {
  private readonly signer: Signer
  private readonly tsa: TimestampAuthority | undefined
  constructor(signer: Signer, tsa: TimestampAuthority | undefined) {
    this.signer = signer
    this.tsa = tsa
  }
  sign(digest: Uint8Array): Promise<Uint8Array> {
    return this.signer.sign(digest)
  }
  signData(data: Uint8Array): Promise<Uint8Array> {
    return signSha256(this.signer, data)
  }
  /** The signature and, at once, the time-stamp over it (a PAdES signature's next call), in one round trip. */
  async signDataAndTimestamp(data: Uint8Array): Promise<{ signature: Uint8Array; token: Uint8Array }> {
    if (!this.tsa) throw new Error('no TSA')
    const signature = await signSha256(this.signer, data)
    return { signature, token: await this.tsa.timestamp(signature) }
  }
  timestamp(data: Uint8Array): Promise<Uint8Array> {
    if (!this.tsa) return Promise.reject(new Error('no TSA'))
    return this.tsa.timestamp(data)
  }
}
