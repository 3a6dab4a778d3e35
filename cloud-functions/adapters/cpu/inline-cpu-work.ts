import type { TemplatePlaceholder } from '../../core/templates/template'
import type { SealFont } from '../../core/seals/drawing'
import type { CleanMode } from '../../core/seals/clean-image'
import type { TrueTypeFont } from '../../core/pdf/truetype-font'
import type { CleanedImage, CpuWork, RasterImage, SignRequest, VerifyWork } from '../../ports/cpu-work'
import type { PrepareDocumentOptions } from '../../core/signing/prepare-document'
import type { EvidenceReportInput } from '../../core/evidence/prepare-evidence-report'
import type { PackageVerification } from '../../core/evidence/verify-evidence-package'
import type { AddLtvOptions } from '../../core/signing/add-ltv'
import type { Signer } from '../../ports/signer'
import type { TimestampAuthority } from '../../ports/timestamp-authority'
import type { Result } from '../../core/shared/result'
import type { PageImage, PageRenderErrorCode } from '../../ports/page-renderer'
import type { DomainError } from '../../core/shared/result'
import type { PageRenderer } from '../../ports/page-renderer'
import { runCpuTask, type CpuTaskEnv } from './cpu-task'

/**
 * CPU work on the calling thread. For AWS Lambda, where a container serves one request at a time
 * (a pool would add a thread start to every cold start and protect nothing), and for tools.
 */
export class InlineCpuWork implements CpuWork {
  private readonly options: CpuTaskEnv
  /**
   * PDFium, loaded on the first page image (module and WebAssembly: a Lambda that never renders
   * never loads it); its renders are queued, as the instance is not re-entrant.
   */
  private pages?: Promise<PageRenderer & { close(): void }>

  /** `pdfiumWasmPath`: the PDFium WebAssembly file (the Lambda assets layer); by default the npm package's. */
  constructor(fonts: { sealFont: () => SealFont; textFont: () => TrueTypeFont; pdfiumWasmPath?: string }) {
    const { pdfiumWasmPath, ...fontLoaders } = fonts
    this.options = {
      ...fontLoaders,
      renderPage: async (request) => {
        this.pages ??= import('../pdfium/pdfium-page-renderer').then((m) => m.pdfiumPageRenderer({ wasmPath: pdfiumWasmPath }))
        return (await this.pages).renderPage(request)
      },
    }
  }

  handwritingPng(input: Parameters<CpuWork['handwritingPng']>[0], pixelsPerMm: number, physicalSize: boolean): Promise<Result<RasterImage>> {
    return runCpuTask({ op: 'handwriting', input, pixelsPerMm, physicalSize }, this.options) as Promise<Result<RasterImage>>
  }

  sealPng(spec: Parameters<CpuWork['sealPng']>[0], pixelsPerMm: number): Promise<Result<RasterImage>> {
    return runCpuTask({ op: 'seal', spec, pixelsPerMm }, this.options) as Promise<Result<RasterImage>>
  }
  cleanImagePng(bytes: Uint8Array, mode: CleanMode): Promise<Result<CleanedImage>> {
    return runCpuTask({ op: 'clean-image', bytes, mode }, this.options) as Promise<Result<CleanedImage>>
  }
  async pdfImage(png: Uint8Array): Promise<Uint8Array> {
    return (await runCpuTask({ op: 'pdf-image', png }, this.options)) as Uint8Array
  }
  checkPdfStructure(bytes: Uint8Array): ReturnType<CpuWork['checkPdfStructure']> {
    return runCpuTask({ op: 'check-pdf', bytes }, this.options) as ReturnType<CpuWork['checkPdfStructure']>
  }
  documentLayout(pdf: Uint8Array): ReturnType<CpuWork['documentLayout']> {
    return runCpuTask({ op: 'layout', bytes: pdf }, this.options) as ReturnType<CpuWork['documentLayout']>
  }
  prepareDocument(pdf: Uint8Array, options: PrepareDocumentOptions): ReturnType<CpuWork['prepareDocument']> {
    return runCpuTask({ op: 'prepare', bytes: pdf, options }, this.options) as ReturnType<CpuWork['prepareDocument']>
  }
  async verifyEvidencePackage(files: Map<string, Uint8Array>, work: { trustRoots: Uint8Array[]; now: Date }): Promise<PackageVerification> {
    return (await runCpuTask({ op: 'verify-package', files, ...work }, this.options)) as PackageVerification
  }
  readSpreadsheet(bytes: Uint8Array): ReturnType<CpuWork['readSpreadsheet']> {
    return runCpuTask({ op: 'read-spreadsheet', bytes }, this.options) as ReturnType<CpuWork['readSpreadsheet']>
  }
  fillPlaceholders(pdf: Uint8Array, placeholders: TemplatePlaceholder[], values: Record<string, string>): ReturnType<CpuWork['fillPlaceholders']> {
    return runCpuTask({ op: 'fill-placeholders', bytes: pdf, placeholders, values }, this.options) as ReturnType<CpuWork['fillPlaceholders']>
  }
  renderEvidenceReport(input: EvidenceReportInput): ReturnType<CpuWork['renderEvidenceReport']> {
    return runCpuTask({ op: 'evidence-report', input }, this.options) as ReturnType<CpuWork['renderEvidenceReport']>
  }

  verifyPdf(bytes: Uint8Array, work: VerifyWork): ReturnType<CpuWork['verifyPdf']> {
    return runCpuTask({ op: 'verify', bytes, ...work }, this.options) as ReturnType<CpuWork['verifyPdf']>
  }

  async addLtv(pdf: Uint8Array, calls: Pick<AddLtvOptions, 'validationData' | 'timestampDigest'>): Promise<Uint8Array> {
    return (await runCpuTask({ op: 'ltv', pdf, calls }, this.options)) as Uint8Array
  }

  signPdf(pdf: Uint8Array, request: SignRequest, keys: { signer: Signer; tsa?: TimestampAuthority }): ReturnType<CpuWork['signPdf']> {
    return runCpuTask({ op: 'sign', pdf, request, keyAlgorithm: keys.signer.keyAlgorithm, hasTsa: keys.tsa !== undefined, keys }, this.options) as ReturnType<CpuWork['signPdf']>
  }

  renderPage(pdf: Uint8Array, pageIndex: number, width: number): Promise<Result<PageImage, DomainError<PageRenderErrorCode>>> {
    return runCpuTask({ op: 'render-page', bytes: pdf, pageIndex, width }, this.options) as Promise<Result<PageImage, DomainError<PageRenderErrorCode>>>
  }

  async close(): Promise<void> {
    const pages = this.pages
    this.pages = undefined
    ;(await pages)?.close()
  }
}
