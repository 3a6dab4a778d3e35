import { err, ok, type DomainError, type Result } from '../core/shared/result'
import { bodyBytes, header, type HttpEvent } from '../runtime/http'
import { parseMultipart } from '../runtime/multipart'

/** An uploaded file: its bytes, its name (multipart only) and the text fields that came with it. */
export type Upload = { bytes: Uint8Array; fileName?: string; fields: Record<string, string> }

export type UploadOptions = {
  /** Content-type prefixes accepted as a raw body (besides `multipart/form-data` with a `file` part). */
  rawTypes: string[]
  /** Largest file accepted. */
  maxBytes: number
  /** Whether a raw body is checked against `maxBytes` too (otherwise only the server's body limit applies). */
  limitRaw: boolean
  /** The error for a file over `maxBytes`; default `PAYLOAD_TOO_LARGE` ("文件超过 N MB 上限"). */
  tooLarge?: () => DomainError
  /** Text fields of a raw upload, from URL-encoded headers: header name → field name. */
  headerFields?: Record<string, string>
  /** The `UNSUPPORTED_MEDIA_TYPE` message: which types to send. */
  unsupported: string
}

/**
 * The one upload reader of the HTTP handlers (documents, seals, verification): the `file` part of
 * a `multipart/form-data` body (other parts are text fields), or a raw body of one of `rawTypes`.
 * The declared type and file name are not trusted: use cases sniff the content.
 */
export async function readUpload(event: HttpEvent, o: UploadOptions): Promise<Result<Upload>> {
  const type = (header(event, 'content-type') ?? '').toLowerCase()
  const tooLarge = (): Result<never> => (o.tooLarge ? { ok: false, error: o.tooLarge() } : err('PAYLOAD_TOO_LARGE', `文件超过 ${Math.floor(o.maxBytes / 1024 / 1024)} MB 上限`, { maxBytes: o.maxBytes }))
  if (type.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(bodyBytes(event), header(event, 'content-type')!, o.maxBytes)
    if (!parsed.ok) return parsed.error.code === 'PAYLOAD_TOO_LARGE' && o.tooLarge ? tooLarge() : parsed
    const file = parsed.value.files.find((f) => f.fieldName === 'file')
    if (!file) return err('VALIDATION_FAILED', '缺少名为 file 的文件字段', { field: 'file' })
    return ok({ bytes: file.bytes, fileName: file.fileName, fields: parsed.value.fields })
  }
  if (o.rawTypes.some((t) => type.startsWith(t))) {
    const bytes = bodyBytes(event)
    if (o.limitRaw && bytes.length > o.maxBytes) return tooLarge()
    const fields: Record<string, string> = {}
    for (const [h, f] of Object.entries(o.headerFields ?? {})) {
      const v = header(event, h)
      if (v !== undefined) {
        try {
          fields[f] = decodeURIComponent(v)
        } catch {
          return err('VALIDATION_FAILED', `${h} 不是有效的 URL 编码`, { field: h })
        }
      }
    }
    return ok({ bytes, fields })
  }
  return err('UNSUPPORTED_MEDIA_TYPE', o.unsupported)
}
