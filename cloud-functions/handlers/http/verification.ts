import { refuseUnverifiable, verifyDocument } from '../../use-cases/verification/verify-document'
import { verifyUploadedPackage } from '../../use-cases/verification/verify-uploaded-package'
import { lambdaHandler } from '../../runtime/bootstrap'
import { getCpuWork } from '../../runtime/cpu-work'
import { fromDomainError, fromResult } from '../../runtime/http'
import { getVerificationServices } from '../../runtime/services'
import type { Route } from '../../runtime/router'
import { readUpload } from '../read-upload'

/** Largest PDF accepted for verification (the server-wide body limit applies first). */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024

/**
 * Signature verification of uploaded PDFs: `POST /api/verify` with a raw `application/pdf` body or
 * a multipart `file`, answering the same report as `esign verify --json`. Trust anchor: the platform
 * root; revocation the document does not carry comes from the platform's certificate registry
 * (source `registry`: its signer certificates and the certificates the root issued), else the
 * platform OCSP, in process.
 */
export const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/verify',
    doc: {
      summary: '验证 PDF 的电子签名（与 esign verify --json 同一份报告）',
      description: 'PDF 原始字节，或 multipart/form-data 的 file 字段。报告（valid 或不 valid）均为 200，见 VerificationReport（cloud-functions/core/verification/report.ts）。',
      tags: ['verification'],
      auth: 'none',
      contentType: ['application/pdf', 'multipart/form-data'],
      errors: ['NOT_A_PDF', 'TOO_MANY_REVISIONS', 'MULTIPART_MALFORMED'],
    },
    handle: async (event, { deps }) => {
      const limit = Math.min(deps.config.maxBodyBytes, MAX_VERIFY_BYTES)
      const upload = await readUpload(event, {
        rawTypes: ['application/pdf', 'application/octet-stream'],
        maxBytes: limit,
        limitRaw: true,
        unsupported: '请以 application/pdf 或 multipart/form-data（字段名 file）上传 PDF',
      })
      if (!upload.ok) return fromDomainError(upload.error)
      // Refused before the trust services load (no KMS calls for a file that will be refused).
      const refused = refuseUnverifiable(upload.value.bytes)
      if (!refused.ok) return fromDomainError(refused.error)
      const { trustRoots, revocation } = await getVerificationServices(deps)
      const result = await verifyDocument({ clock: deps.clock, trustRoots, revocation, cpu: await getCpuWork(deps) }, { bytes: upload.value.bytes })
      return fromResult(result)
    },
  },
  {
    method: 'POST',
    path: '/api/verify/evidence-package',
    doc: {
      summary: '验证证据包（zip）：证据链、存证证明、时间戳、合同与证据报告的签名，与 esign evidence verify 相同',
      description: 'zip 原始字节，或 multipart/form-data 的 file 字段。结果（通过或未通过）均为 200，未通过时 firstFailure 给出第一处断裂。',
      tags: ['verification'],
      auth: 'none',
      contentType: ['application/zip', 'multipart/form-data'],
      errors: ['NOT_A_PACKAGE', 'PAYLOAD_TOO_LARGE', 'MULTIPART_MALFORMED'],
    },
    handle: async (event, { deps }) => {
      const upload = await readUpload(event, {
        rawTypes: ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'],
        maxBytes: Math.min(deps.config.maxBodyBytes, MAX_VERIFY_BYTES),
        limitRaw: true,
        unsupported: '请以 application/zip 或 multipart/form-data（字段名 file）上传证据包',
      })
      if (!upload.ok) return fromDomainError(upload.error)
      const { trustRoots } = await getVerificationServices(deps)
      return fromResult(await verifyUploadedPackage({ clock: deps.clock, trustRoots, cpu: await getCpuWork(deps) }, { bytes: upload.value.bytes }))
    },
  },
]

export const handler = lambdaHandler(routes)
