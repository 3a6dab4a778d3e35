import type { VerificationReport } from '../api/verification.types'
import type { checkPdfStructure } from '../core/documents/check-pdf-structure'
import type { CleanMode } from '../core/seals/clean-image'
import type { SealSpec } from '../core/seals/generate-seal'
import type { HandwritingInput } from '../core/seals/handwriting'
import type { DomainError, Result } from '../core/shared/result'
import type { AppearanceOptions } from '../core/signing/signature-appearance'
import type { SignPdfOptions } from '../core/signing/sign-pdf'
import type { DocumentLayout } from '../core/signing/document-layout'
import type { PrepareDocumentOptions } from '../core/signing/prepare-document'
import type { AddLtvOptions } from '../core/signing/add-ltv'
import type { FillErrorCode } from '../core/templates/fill-placeholders'
import type { TemplatePlaceholder } from '../core/templates/template'
import type { readSpreadsheet } from '../core/bulk/read-spreadsheet'
import type { CertificatePathUnknown, EvidenceReportInput } from '../core/evidence/prepare-evidence-report'
import type { EvidenceChainBroken } from '../core/evidence/hash-chain'
import type { PackageVerification } from '../core/evidence/verify-evidence-package'
import type { PageImage, PageRenderErrorCode } from './page-renderer'
import type { RevocationSource } from './revocation-source'
import type { Signer } from './signer'
import type { TimestampAuthority } from './timestamp-authority'

/** A rasterised drawing: PNG bytes, its size in pixels and the drawing's size in millimetres. */
export type RasterImage = { png: Uint8Array; width: number; height: number; widthMm: number; heightMm: number }

/** A cleaned upload (seal or signature photo): PNG bytes and its size in pixels. */
export type CleanedImage = { png: Uint8Array; width: number; height: number }

/**
 * A signing request as data: the options of `core/signing/sign-pdf.ts` without the key, the TSA and
 * the appearance object; the appearance is described (`font` is the worker's Noto Sans SC Regular).
 */
export type SignRequest = Omit<SignPdfOptions, 'signer' | 'tsa' | 'buildCms' | 'appearance' | 'reader'> & { appearance?: Omit<AppearanceOptions, 'font'> }

/** What a verification needs besides the bytes (see core/verification/verify-pdf.ts). */
export type VerifyWork = { trustRoots: Uint8Array[]; now: Date; revocation?: RevocationSource }

/**
 * CPU-heavy work that must not run on the request-serving event loop: rasterising handwriting,
 * drawing seals, cleaning uploaded seal and signature images, checking and verifying PDFs,
 * rendering page images. The local server runs it on a pool of worker threads
 * (`adapters/cpu/piscina-cpu-work.ts`), a Lambda inline (`adapters/cpu/inline-cpu-work.ts`: one
 * request per container, nothing to protect). Results are the core functions' results.
 */
export interface CpuWork {
  /** Handwriting strokes → PNG at `pixelsPerMm`; `physicalSize` adds the pHYs chunk. */
  handwritingPng(input: HandwritingInput, pixelsPerMm: number, physicalSize: boolean): Promise<Result<RasterImage>>
  /** A generated seal (the seal font is the worker's) → PNG at `pixelsPerMm`, with pHYs. */
  sealPng(spec: SealSpec, pixelsPerMm: number): Promise<Result<RasterImage>>
  /** An uploaded PNG/JPEG (limits as core/seals/clean-image.ts) decoded, cleaned for `mode` and encoded as PNG. */
  cleanImagePng(bytes: Uint8Array, mode: CleanMode): Promise<Result<CleanedImage>>
  /**
   * A seal's or signature's PNG made ready for PDF pages (decoded, deflated, serialised:
   * `serializePdfReadyImage` in core/pdf/png-image.ts), stored beside the PNG when it is made so that
   * signing does not decode it again. Throws for bytes that are not a PNG.
   */
  pdfImage(png: Uint8Array): Promise<Uint8Array>
  /** The structure check of an upload (core/documents/check-pdf-structure.ts; its repair attempt parses the whole file). */
  checkPdfStructure(bytes: Uint8Array): ReturnType<typeof checkPdfStructure>
  /**
   * Sign `pdf` (prepare → digest → sign → embed, one incremental revision): the PDF work on the
   * worker, the key operation and the time-stamp on the caller's `signer` and `tsa` (they stay
   * where the keys and KMS clients live). The signed file's bytes; `NOT_A_PDF` when an object the
   * signature needs does not parse.
   */
  signPdf(pdf: Uint8Array, request: SignRequest, keys: { signer: Signer; tsa?: TimestampAuthority }): Promise<Result<Uint8Array, DomainError<'NOT_A_PDF'>>>
  /**
   * The displayed page sizes of a PDF and where its existing signatures are (placing fields);
   * `NOT_A_PDF` when it cannot be read.
   */
  documentLayout(pdf: Uint8Array): Promise<Result<DocumentLayout, DomainError<'NOT_A_PDF'>>>
  /**
   * Preparation at send (`core/signing/prepare-document.ts`): every signer's empty signature field
   * and the fields they fill; `NOT_A_PDF` when the file (or what preparing it made) cannot be read.
   */
  prepareDocument(pdf: Uint8Array, options: PrepareDocumentOptions): Promise<Result<Uint8Array, DomainError<'NOT_A_PDF'>>>
  /**
   * The completion revision (`core/signing/add-ltv.ts`: DSS + document time-stamp): the PDF work on
   * the worker, the validation data and the time-stamp on the caller's side. The new file's bytes.
   */
  addLtv(pdf: Uint8Array, calls: Pick<AddLtvOptions, 'validationData' | 'timestampDigest'>): Promise<Uint8Array>
  /**
   * The 证据报告 as an unsigned PDF with the worker's CJK font: its chain verified and its
   * certificates put into paths first (`core/evidence/prepare-evidence-report.ts`), then laid out and
   * written (`core/evidence/report-pdf.ts`). `EVIDENCE_CHAIN_BROKEN`, or `CERTIFICATE_PATH_UNKNOWN`
   * when a signer's certificate does not chain to the platform root (the caller then lists the
   * final PDF's verified paths).
   */
  renderEvidenceReport(input: EvidenceReportInput): Promise<Result<Uint8Array, EvidenceChainBroken | CertificatePathUnknown>>
  /** A template's values drawn into its PDF with the worker's CJK font (`core/templates/fill-placeholders.ts`): one incremental update. */
  fillPlaceholders(pdf: Uint8Array, placeholders: TemplatePlaceholder[], values: Record<string, string>): Promise<Result<Uint8Array, DomainError<FillErrorCode>>>
  /**
   * A bulk-send upload read into text cells (`core/bulk/read-spreadsheet.ts`: CSV by papaparse, XLSX by
   * exceljs; its byte, row and inflated-size bounds checked before parsing).
   */
  readSpreadsheet(bytes: Uint8Array): ReturnType<typeof readSpreadsheet>
  /** An unpacked evidence package checked section by section (`core/evidence/verify-evidence-package.ts`). */
  verifyEvidencePackage(files: Map<string, Uint8Array>, work: { trustRoots: Uint8Array[]; now: Date }): Promise<PackageVerification>
  /** The verification report of a PDF (revocation questions are answered by `revocation` on the caller's side). */
  verifyPdf(bytes: Uint8Array, work: VerifyWork): Promise<Result<VerificationReport, DomainError<'NOT_A_PDF'>>>
  /**
   * One page of `pdf` (0-based) as a PNG `width` pixels wide, as displayed (ports/page-renderer.ts:
   * its limits and error codes). Each worker thread loads PDFium (WebAssembly) once, on first use.
   */
  renderPage(pdf: Uint8Array, pageIndex: number, width: number): Promise<Result<PageImage, DomainError<PageRenderErrorCode | 'UNAVAILABLE'>>>
  /** Stop the threads (the local server's shutdown). */
  close(): Promise<void>
}
