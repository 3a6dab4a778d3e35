import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InlineCpuWork } from '../../../cloud-functions/adapters/cpu/inline-cpu-work'
import { loadNotoSansSc, notoSansScPath, useFontDirectory } from '../../../cloud-functions/adapters/local/noto-sans-sc-font'
import { makePdf } from '../../support/local-app'

/**
 * ESIGN_ASSET_DIR (the Lambda assets layer, /opt/qianyue-assets): the fonts and pdfium.wasm are read
 * from that folder when it is set, from node_modules otherwise.
 */
describe('asset directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qianyue-assets-'))
  afterAll(() => {
    useFontDirectory(undefined)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('font paths follow the directory, and go back to node_modules without it', () => {
    const fromPackage = notoSansScPath('bold')
    expect(fromPackage).toContain(`${path.sep}node_modules${path.sep}`)
    useFontDirectory(dir)
    expect(notoSansScPath('bold')).toBe(path.join(dir, 'fonts', 'NotoSansSC_700Bold.ttf'))
    expect(notoSansScPath('regular')).toBe(path.join(dir, 'fonts', 'NotoSansSC_400Regular.ttf'))
    useFontDirectory(undefined)
    expect(notoSansScPath('bold')).toBe(fromPackage)
    expect(loadNotoSansSc()).toBeDefined()
  })

  it('page images load pdfium.wasm from the given path: a missing file fails, the copied file renders', async () => {
    const pdf = await makePdf()
    const fonts = { sealFont: () => { throw new Error('unused') }, textFont: () => { throw new Error('unused') } }
    const missing = new InlineCpuWork({ ...fonts, pdfiumWasmPath: path.join(dir, 'missing', 'pdfium.wasm') })
    await expect(missing.renderPage(pdf, 0, 200)).rejects.toThrow(/ENOENT/)
    fs.copyFileSync(require.resolve('@hyzyla/pdfium/dist/pdfium.wasm'), path.join(dir, 'pdfium.wasm'))
    const fromDir = new InlineCpuWork({ ...fonts, pdfiumWasmPath: path.join(dir, 'pdfium.wasm') })
    const image = await fromDir.renderPage(pdf, 0, 200)
    expect(image.ok).toBe(true)
    await fromDir.close()
  })
})
