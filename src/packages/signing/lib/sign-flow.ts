import type { ContractView, FieldInput } from '@api/contracts.types'

/** What the signer has chosen and typed so far. */
export type SignChoices = { values: Record<string, string | boolean>; signatureId?: string; sealId?: string }

/** The caller's own fields of a contract. */
export const myFields = (c: Pick<ContractView, 'fields' | 'me'>) => (c.me.partyId ? c.fields.filter((f) => f.partyId === c.me.partyId) : [])

const top = (f: FieldInput) => (f.kind === 'cross-page-seal' ? Number.POSITIVE_INFINITY : f.rect[1] + f.rect[3])

/** Fields in reading order: page by page, top to bottom, left to right; 骑缝章 last. */
export function readingOrder(fields: FieldInput[]): FieldInput[] {
  return [...fields].sort((a, b) => {
    if (a.kind === 'cross-page-seal' || b.kind === 'cross-page-seal') return (a.kind === 'cross-page-seal' ? 1 : 0) - (b.kind === 'cross-page-seal' ? 1 : 0)
    if (a.page !== b.page) return a.page - b.page
    if (Math.abs(top(a) - top(b)) > 2) return top(b) - top(a)
    return a.rect[0] - b.rect[0]
  })
}

/** Whether a field needs nothing more from the signer. Date fields are filled by the server. */
export function fieldDone(f: FieldInput, c: SignChoices): boolean {
  switch (f.kind) {
    case 'signature':
      return Boolean(c.signatureId)
    case 'seal':
    case 'cross-page-seal':
      return Boolean(c.sealId)
    case 'text': {
      const v = c.values[f.fieldId]
      return !f.required || (typeof v === 'string' && v.trim().length > 0)
    }
    case 'checkbox':
      return !f.required || c.values[f.fieldId] === true
    case 'date':
      return true
  }
}

/** The field "下一个" goes to: the first unfinished one after `current` in reading order, wrapping round; else the next one at all. */
export function nextField(fields: FieldInput[], c: SignChoices, current?: string): FieldInput | undefined {
  const ordered = readingOrder(fields).filter((f) => f.kind !== 'date')
  if (ordered.length === 0) return undefined
  const at = ordered.findIndex((f) => f.fieldId === current)
  const rotated = [...ordered.slice(at + 1), ...ordered.slice(0, at + 1)]
  return rotated.find((f) => !fieldDone(f, c)) ?? rotated[0]
}

/** What still stops the signer from signing, in Chinese (empty when ready). */
export function missingBeforeSign(fields: FieldInput[], c: SignChoices): string[] {
  const out: string[] = []
  if (fields.some((f) => f.kind === 'signature') && !c.signatureId) out.push('请选择或手写您的签名')
  if (fields.some((f) => f.kind === 'seal' || f.kind === 'cross-page-seal') && !c.sealId) out.push('请选择要加盖的企业印章')
  for (const f of fields) {
    if (f.kind === 'text' && !fieldDone(f, c)) out.push(`请填写${f.label ? `“${f.label}”` : '必填的文本'}`)
    if (f.kind === 'text' && typeof c.values[f.fieldId] === 'string' && (c.values[f.fieldId] as string).length > f.maxLength) out.push(`“${f.label ?? '文本'}”不能超过 ${f.maxLength} 个字`)
    if (f.kind === 'checkbox' && !fieldDone(f, c)) out.push(`请勾选${f.label ? `“${f.label}”` : '必选项'}`)
  }
  return [...new Set(out)]
}

/** The `values` of the sign request: text and checkbox values of the caller's fields only. */
export function signValues(fields: FieldInput[], c: SignChoices): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {}
  for (const f of fields) {
    const v = c.values[f.fieldId]
    if (f.kind === 'text' && typeof v === 'string' && v.trim()) out[f.fieldId] = v.trim()
    if (f.kind === 'checkbox' && typeof v === 'boolean') out[f.fieldId] = v
  }
  return out
}

/**
 * One sign attempt: its `Idempotency-Key` and request body, made once and sent again unchanged
 * while no answer has come (a network failure), so a retry returns the first answer instead of
 * signing twice (and needs no new intent code); any answer from the server ends the attempt.
 */
export function signAttempt<B>(make: () => string) {
  let current: { key: string; body: B } | undefined
  return {
    /** The attempt to send: the pending one if a retry, else a new one with `body()`. */
    next: (body: () => B): { key: string; body: B } => (current ??= { key: make(), body: body() }),
    /** Whether a retry is due (the last attempt got no answer). */
    pending: (): boolean => current !== undefined,
    answered: (gotAnswer: boolean): void => {
      if (gotAnswer) current = undefined
    },
  }
}
