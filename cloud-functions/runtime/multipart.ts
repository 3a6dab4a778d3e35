import busboy from 'busboy'
import { err, ok, type Result } from '../core/shared/result'

export type UploadedFile = { fieldName: string; fileName: string; contentType: string; bytes: Buffer }

/**
 * Parse a buffered `multipart/form-data` body (API Gateway delivers it whole). Returns the files
 * and text fields, or `MULTIPART_MALFORMED` for a malformed or truncated body, `PAYLOAD_TOO_LARGE`
 * past `maxFileBytes`. Every stream busboy hands out has an `error` listener: a body that ends in
 * the middle of a part ("Unexpected end of form") is an answer, never an uncaught exception.
 */
export function parseMultipart(
  body: Buffer,
  contentType: string,
  maxFileBytes: number,
): Promise<Result<{ files: UploadedFile[]; fields: Record<string, string> }>> {
  return new Promise((resolve) => {
    let settled = false
    const finish = (result: Result<{ files: UploadedFile[]; fields: Record<string, string> }>) => {
      if (settled) return
      settled = true
      resolve(result)
    }
    const malformed = () => err('MULTIPART_MALFORMED', '上传的表单数据格式不正确或不完整')
    let bb: busboy.Busboy
    try {
      bb = busboy({ headers: { 'content-type': contentType }, limits: { fileSize: maxFileBytes, files: 5, fields: 50 }, defParamCharset: 'utf8' })
    } catch {
      finish(err('MULTIPART_MALFORMED', 'multipart 请求格式不正确（缺少 boundary）'))
      return
    }
    const files: UploadedFile[] = []
    const fields: Record<string, string> = {}
    let failure: Result<never> | undefined
    bb.on('file', (fieldName, stream, info) => {
      const chunks: Buffer[] = []
      let broken = false
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('limit', () => (failure ??= err('PAYLOAD_TOO_LARGE', `文件超过 ${Math.floor(maxFileBytes / 1024 / 1024)} MB 上限`)))
      stream.on('error', () => {
        broken = true
        failure ??= malformed()
      })
      stream.on('close', () => {
        if (!broken) files.push({ fieldName, fileName: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.concat(chunks) })
      })
    })
    bb.on('field', (name, value) => (fields[name] = value))
    bb.on('error', () => finish(failure ?? malformed()))
    bb.on('close', () => finish(failure ?? ok({ files, fields })))
    try {
      bb.end(body)
    } catch {
      finish(malformed())
    }
  })
}
