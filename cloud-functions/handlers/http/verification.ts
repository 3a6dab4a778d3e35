import { refuseUnverifiable, verifyDocument } from '../../use-cases/verification/verify-document'
import { answerOcspRequest } from '../../use-cases/pki/answer-ocsp-request'
import { lambdaHandler } from '../../runtime/bootstrap'
import { bodyBytes, errorResponse, fromDomainError, fromResult, header, type HttpEvent, type HttpResult } from '../../runtime/http'
import { parseMultipart } from '../../runtime/multipart'
import { getCpuWork } from '../../runtime/cpu-work'
import { getPkiServices } from '../../runtime/pki-services'
import type { Route } from '../../runtime/router'
import { PlatformOcspRevocationSource } from '../../adapters/ocsp/platform-ocsp-revocation-source'

/** Largest PDF accepted for verification (the server-wide body limit applies first). */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024

/**
 * Signature verification of uploaded PDFs: `POST /api/verify` with a raw `application/pdf` body or
 * a multipart `file`, answering the same report as `esign verify --json`. The verification runs on
 * the CPU worker pool (runtime/cpu-work.ts); files beyond 256 revisions are refused (422). Trust anchor: the platform
 * root; revocation the document does not carry comes from the platform OCSP (certificate registry),
 * in process.
 */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/verify',
    handle: async (event, { deps }) => {
      const limit = Math.min(deps.config.maxBodyBytes, MAX_VERIFY_BYTES)
      const upload = await readPdf(event, limit)
      if ('response' in upload) return upload.response
      const refused = refuseUnverifiable(upload.bytes)
      if (!refused.ok) return fromDomainError(refused.error)
      const { ca } = await getPkiServices(deps)
      const revocation = new PlatformOcspRevocationSource(ca.issuingCertificateDer, (request) => answerOcspRequest({ ...deps, ca }, request))
      const result = await verifyDocument({ clock: deps.clock, trustRoots: async () => [ca.rootCertificateDer], revocation, cpu: await getCpuWork(deps) }, { bytes: upload.bytes })
      return fromResult(result)
    },
  },
]

export const handler = lambdaHandler(routes)

/** The PDF from a raw `application/pdf` body or the `file` part of a multipart form. */
async function readPdf(event: HttpEvent, limit: number): Promise<{ bytes: Uint8Array } | { response: HttpResult }> {
  const type = (header(event, 'content-type') ?? '').toLowerCase()
  if (type.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(bodyBytes(event), header(event, 'content-type')!, limit)
    if (!parsed.ok) return { response: fromDomainError(parsed.error) }
    const file = parsed.value.files.find((f) => f.fieldName === 'file')
    if (!file) return { response: errorResponse('VALIDATION_FAILED', '缺少名为 file 的文件字段', { field: 'file' }) }
    return { bytes: file.bytes }
  }
  if (type.startsWith('application/pdf') || type.startsWith('application/octet-stream')) {
    const bytes = bodyBytes(event)
    if (bytes.length > limit) return { response: errorResponse('PAYLOAD_TOO_LARGE', `文件超过 ${Math.floor(limit / 1024 / 1024)} MB 上限`) }
    return { bytes }
  }
  return { response: errorResponse('UNSUPPORTED_MEDIA_TYPE', '请以 application/pdf 或 multipart/form-data（字段名 file）上传 PDF') }
}
