import busboy from 'busboy'
import { err, ok, type Result } from '../core/shared/result'

export type UploadedFile = { fieldName: string; fileName: string; contentType: string; bytes: Buffer }

/**
 * Parse a buffered `multipart/form-data` body (API Gateway delivers it whole). Returns the files
 * and text fields, or `BAD_REQUEST` for a malformed body, `PAYLOAD_TOO_LARGE` past `maxFileBytes`.
 */
export function parseMultipart(
  body: Buffer,
  contentType: string,
  maxFileBytes: number,
): Promise<Result<{ files: UploadedFile[]; fields: Record<string, string> }>> {
  return new Promise((resolve) => {
    let bb: busboy.Busboy
    try {
      bb = busboy({ headers: { 'content-type': contentType }, limits: { fileSize: maxFileBytes, files: 5, fields: 50 }, defParamCharset: 'utf8' })
    } catch {
      resolve(err('BAD_REQUEST', 'multipart 请求格式不正确（缺少 boundary）'))
      return
    }
    const files: UploadedFile[] = []
    const fields: Record<string, string> = {}
    let failure: Result<never> | undefined
    bb.on('file', (fieldName, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('limit', () => (failure ??= err('PAYLOAD_TOO_LARGE', `文件超过 ${Math.floor(maxFileBytes / 1024 / 1024)} MB 上限`)))
      stream.on('close', () => files.push({ fieldName, fileName: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.concat(chunks) }))
    })
    bb.on('field', (name, value) => (fields[name] = value))
    bb.on('error', () => resolve(failure ?? err('BAD_REQUEST', 'multipart 请求体格式不正确')))
    bb.on('close', () => resolve(failure ?? ok({ files, fields })))
    bb.end(body)
  })
}
