import { spawn } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '../..')

/**
 * Validate an OpenAPI document with @apidevtools/swagger-parser (OpenAPI 3.1 schema + its own
 * checks: path parameters declared, operation ids unique, $refs resolve). It runs in a child Node
 * process: its dependency @apidevtools/json-schema-ref-parser is an ES module, which Node loads
 * with `require` but jest's module runtime cannot. Resolves with the validator's message for an
 * invalid document, `undefined` for a valid one.
 */
export function openApiProblem(document: unknown): Promise<string | undefined> {
  const script = `
    const SwaggerParser = require('@apidevtools/swagger-parser')
    let input = ''
    process.stdin.on('data', (c) => (input += c))
    process.stdin.on('end', () => {
      SwaggerParser.validate(JSON.parse(input)).then(
        () => process.stdout.write(JSON.stringify({ valid: true })),
        (e) => process.stdout.write(JSON.stringify({ valid: false, message: String(e && e.message) })),
      )
    })`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the OpenAPI validator failed to run (exit ${code}): ${err}`))
      const verdict = JSON.parse(out) as { valid: boolean; message?: string }
      resolve(verdict.valid ? undefined : (verdict.message ?? 'invalid'))
    })
    child.stdin.end(JSON.stringify(document))
  })
}
