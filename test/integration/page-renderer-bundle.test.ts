/**
 * The page renderer as a Lambda runs it: bundled by esbuild with the settings of serverless.yml
 * (`bundle`, `minify`, `platform: node`, `target: node20`), unpacked into an empty folder that holds
 * only the bundle and the one file the function would package beside it
 * (`node_modules/@hyzyla/pdfium/dist/pdfium.wasm`), and run in a fresh Node process without the
 * project's node_modules: nothing else is needed and nothing is fetched.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildSync } from 'esbuild'
import { PNG } from 'pngjs'
import { pdfiumPageRenderer } from '../../cloud-functions/adapters/pdfium/pdfium-page-renderer'

const ROOT = resolve(__dirname, '../..')
let dir: string
const renderer = pdfiumPageRenderer()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qianyue-render-bundle-'))
})
afterAll(() => {
  renderer.close()
  rmSync(dir, { recursive: true, force: true })
})

it('renders a Chinese page from the bundle with only pdfium.wasm beside it', async () => {
  // Prepare
  const entry = join(dir, 'entry.ts')
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs'
import { pdfiumPageRenderer } from ${JSON.stringify(join(ROOT, 'cloud-functions/adapters/pdfium/pdfium-page-renderer'))}
const pdf = readFileSync(process.argv[2])
pdfiumPageRenderer().renderPage({ pdf, pageIndex: 1, width: 400 }).then((r) => {
  if (!r.ok) { console.error(r.error.code); process.exit(2) }
  process.stdout.write(Buffer.from(r.value.png).toString('base64'))
})
`,
  )
  const out = join(dir, 'app', 'cloud-functions', 'handlers', 'http', 'contracts.js')
  buildSync({ entryPoints: [entry], bundle: true, minify: true, platform: 'node', target: 'node20', outfile: out, logLevel: 'silent', absWorkingDir: ROOT })
  const wasmDir = join(dir, 'app', 'node_modules', '@hyzyla', 'pdfium', 'dist')
  mkdirSync(wasmDir, { recursive: true })
  copyFileSync(join(ROOT, 'node_modules/@hyzyla/pdfium/dist/pdfium.wasm'), join(wasmDir, 'pdfium.wasm'))

  // Act
  const r = spawnSync(process.execPath, [out, join(ROOT, 'test/fixtures/pdf/labor-rotated-cropped.pdf')], {
    cwd: join(dir, 'app'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_PATH: '' },
    timeout: 60_000,
  })

  // Assess
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  const png = PNG.sync.read(Buffer.from(r.stdout, 'base64'))
  expect([png.width, png.height]).toEqual([400, 283]) // page 2 has /Rotate 90: landscape as displayed
  let ink = 0
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 100 && png.data[i + 1] < 100 && png.data[i + 2] < 100) ink++
  expect(ink).toBeGreaterThan(300) // the Chinese text is there
  const inProcess = await renderer.renderPage({ pdf: readFileSync(join(ROOT, 'test/fixtures/pdf/labor-rotated-cropped.pdf')), pageIndex: 1, width: 400 })
  expect(inProcess.ok && Buffer.from(inProcess.value.png).toString('base64')).toBe(r.stdout) // the same pixels as unbundled
}, 90_000)
