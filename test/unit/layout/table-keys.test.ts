import fs from 'node:fs'
import path from 'node:path'

/**
 * Each area's `use-cases/<area>/records.ts` alone writes its table keys (issue 12): no other server
 * file spells a `pk`/`sk`/`gsi1pk`/`gsi1sk` property or a `PREFIX#…` key string. Store adapters
 * (`adapters/`, which own their own rows, such as the sandbox outbox) and the port that defines the
 * key attributes are outside the rule.
 */
const ROOT = path.join(__dirname, '../../../cloud-functions')
const EXEMPT = [/^adapters\//, /^ports\//, /(^|\/)records\.ts$/]
const KEY_PROPERTY = /\b(?:pk|sk|gsi1pk|gsi1sk)\s*:/
const KEY_STRING = /['"`][A-Z][A-Z0-9_]*#/

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return serverFiles(full)
    return e.name.endsWith('.ts') ? [full] : []
  })
}

/** Code lines of a file (comment lines dropped: docs may name keys). */
function codeLines(file: string): { line: number; text: string }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text))
}

describe('table keys', () => {
  it('are written only in the areas\u2019 records.ts files', () => {
    const offenders: string[] = []
    for (const file of serverFiles(ROOT)) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/')
      if (EXEMPT.some((re) => re.test(rel))) continue
      for (const { line, text } of codeLines(file)) {
        if (KEY_PROPERTY.test(text) || KEY_STRING.test(text)) offenders.push(`${rel}:${line}: ${text.trim()}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('finds a key written outside records.ts (the check is not vacuous)', () => {
    expect(KEY_PROPERTY.test("const k = { pk: `DOC#${id}`, sk: 'META' }")).toBe(true)
    expect(KEY_STRING.test("query(`COMPANY#${id}`)")).toBe(true)
    expect(KEY_STRING.test("return err('NOT_FOUND', '文件不存在')")).toBe(false)
  })
})
