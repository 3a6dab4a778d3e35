import { err, ok, type Result } from '../shared/result'
import type { DateFormat, Field, FieldValue, SigningMarks } from './contract'

/** Control characters other than tab and newline are refused in text fields. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/

/**
 * The signing day in Asia/Shanghai (UTC+8 all year: China has had no daylight saving since 1991).
 *
 * @example
 * shanghaiDate(new Date('2026-11-30T16:30:00Z'))                  // '2026-12-01'
 * shanghaiDate(new Date('2026-11-30T16:30:00Z'), 'YYYY年MM月DD日') // '2026年12月01日'
 */
export function shanghaiDate(now: Date, format: DateFormat = 'YYYY-MM-DD'): string {
  const iso = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  if (format === 'YYYY-MM-DD') return iso
  const [y, m, d] = iso.split('-')
  return `${y}年${m}月${d}日`
}

function invalid(fieldId: string, reason: string, message: string, extra: Record<string, unknown> = {}) {
  return err('FIELD_VALUE_INVALID', message, { fieldId, reason, ...extra })
}

/**
 * Validates what one signer submits for their own `fields` and fills the rest:
 * - text: a string without control characters, at most `maxLength` characters (code points),
 *   non-blank when required;
 * - checkbox: a boolean, checked when required (a missing one counts as unchecked);
 * - date: filled here with the signing day in Asia/Shanghai — a value sent for it is refused;
 * - a signature field needs `marks.signatureId`, a seal or cross-page seal field `marks.sealId`;
 * - a value for a field that is not this signer's, or cannot take a value, is refused.
 * `FIELD_VALUE_INVALID` with `details.fieldId` and `details.reason` otherwise.
 */
export function checkFieldValues(
  fields: readonly Field[],
  values: Readonly<Record<string, unknown>>,
  marks: SigningMarks,
  now: Date,
): Result<Record<string, FieldValue>> {
  const byId = new Map(fields.map((f) => [f.fieldId, f]))
  for (const id of Object.keys(values)) {
    const f = byId.get(id)
    if (!f) return invalid(id, 'UNKNOWN_FIELD', '提交了不属于您的填写项')
    if (f.kind !== 'text' && f.kind !== 'checkbox') return invalid(id, 'NOT_FILLABLE', f.kind === 'date' ? '签署日期由平台在签署时填写' : '签名和印章位置不需要填写内容')
  }
  const out: Record<string, FieldValue> = {}
  for (const f of fields) {
    const v = values[f.fieldId]
    switch (f.kind) {
      case 'text': {
        if (v !== undefined && typeof v !== 'string') return invalid(f.fieldId, 'NOT_TEXT', `${f.label ?? '文本'}应为文字`)
        const text = (v ?? '').trim()
        if (f.required && !text) return invalid(f.fieldId, 'REQUIRED', `请填写${f.label ?? '必填项'}`)
        if ([...text].length > f.maxLength) return invalid(f.fieldId, 'TOO_LONG', `${f.label ?? '文本'}不能超过 ${f.maxLength} 个字`, { maxLength: f.maxLength })
        if (CONTROL.test(text)) return invalid(f.fieldId, 'CONTROL_CHARACTER', `${f.label ?? '文本'}含有不可见的控制字符`)
        if (text) out[f.fieldId] = text
        break
      }
      case 'checkbox': {
        if (v !== undefined && typeof v !== 'boolean') return invalid(f.fieldId, 'NOT_BOOLEAN', '勾选项的值应为是或否')
        if (f.required && v !== true) return invalid(f.fieldId, 'REQUIRED', `请勾选${f.label ?? '必选项'}`)
        out[f.fieldId] = v === true
        break
      }
      case 'date':
        out[f.fieldId] = shanghaiDate(now, f.format)
        break
      case 'signature':
        if (!marks.signatureId) return invalid(f.fieldId, 'SIGNATURE_REQUIRED', '请选择或手写签名')
        break
      case 'seal':
      case 'cross-page-seal':
        if (!marks.sealId) return invalid(f.fieldId, 'SEAL_REQUIRED', '请选择企业印章')
        break
    }
  }
  return ok(out)
}
