import type { MessagePort } from 'node:worker_threads'
import type { VerificationReport } from '../../api/verification.types'
import { checkPdfStructure } from '../../core/documents/check-pdf-structure'
import { checkImageUpload, cleanImage, decodeImage, type CleanMode } from '../../core/seals/clean-image'
import type { SealFont } from '../../core/seals/drawing'
import { generateSeal, type SealSpec } from '../../core/seals/generate-seal'
import { renderHandwriting, type HandwritingInput } from '../../core/seals/handwriting'
import { encodePng, rasterise } from '../../core/seals/rasterise'
import { err, ok, type DomainError, type Result } from '../../core/shared/result'
import { verifyPdf } from '../../core/verification/verify-pdf'
import type { CleanedImage, RasterImage } from '../../ports/cpu-work'
import type { RevocationSource } from '../../ports/revocation-source'

/** One unit of CPU work, as it crosses to a worker thread (structured-clone data only). */
export type CpuTask =
  | { op: 'handwriting'; input: HandwritingInput; pixelsPerMm: number; physicalSize: boolean }
  | { op: 'seal'; spec: SealSpec; pixelsPerMm: number }
  | { op: 'clean-image'; bytes: Uint8Array; mode: CleanMode }
  | { op: 'check-pdf'; bytes: Uint8Array }
  | { op: 'verify'; bytes: Uint8Array; trustRoots: Uint8Array[]; now: Date; revocationPort?: MessagePort; revocation?: RevocationSource }

export type CpuTaskResult = Result<RasterImage> | Result<CleanedImage> | Awaited<ReturnType<typeof checkPdfStructure>> | Result<VerificationReport, DomainError<'NOT_A_PDF'>>

/** A revocation question sent over a task's port, and its answer. */
export type RevocationQuestion = { id: number; certificate: Uint8Array; issuer: Uint8Array }
export type RevocationAnswer = { id: number; der?: Uint8Array }

/**
 * Run one task with the core functions. The same code runs inline (Lambda) and in a worker thread
 * (local server), so both give the same bytes.
 */
export async function runCpuTask(task: CpuTask, env: { sealFont: () => SealFont }): Promise<CpuTaskResult> {
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
    case 'check-pdf':
      return checkPdfStructure(task.bytes)
    case 'verify': {
      const revocation = task.revocation ?? (task.revocationPort ? revocationOverPort(task.revocationPort) : undefined)
      try {
        return await verifyPdf(task.bytes, { trustRoots: task.trustRoots, now: task.now, revocation })
      } finally {
        task.revocationPort?.close()
      }
    }
    default:
      return err('INTERNAL', 'unknown CPU task')
  }
}

/** A revocation source in a worker thread that asks the caller's source over `port`. */
function revocationOverPort(port: MessagePort): RevocationSource {
  let next = 0
  const waiting = new Map<number, (der: Uint8Array | undefined) => void>()
  port.on('message', (answer: RevocationAnswer) => {
    waiting.get(answer.id)?.(answer.der)
    waiting.delete(answer.id)
  })
  return {
    ocsp: (certificate, issuer) =>
      new Promise((resolve) => {
        const id = ++next
        waiting.set(id, resolve)
        port.postMessage({ id, certificate, issuer } satisfies RevocationQuestion)
      }),
  }
}

/** The caller's side: answer a worker's revocation questions from `source` until the port closes. */
export function serveRevocation(port: MessagePort, source: RevocationSource): void {
  port.on('message', (question: RevocationQuestion) => {
    source.ocsp(question.certificate, question.issuer).then(
      (der) => port.postMessage({ id: question.id, der } satisfies RevocationAnswer),
      () => port.postMessage({ id: question.id } satisfies RevocationAnswer),
    )
  })
}
