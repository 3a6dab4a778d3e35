import path from 'node:path'
import { workerData } from 'node:worker_threads'
import { fontFileSource, loadNotoSansSc, notoSansScPath, useFontDirectory } from '../local/noto-sans-sc-font'
import { sealFontFrom, type SealFont } from '../../core/seals/drawing'
import { DEFAULT_PAGE_RENDER_LIMITS, loadPdfium, renderPdfPage } from '../pdfium/pdfium-page-renderer'
import { runCpuTask, type CpuTask, type CpuTaskEnv, type CpuTaskResult } from './cpu-task'
import type { CpuWorkerData } from './cpu-worker-data'
import { lowerThreadPriority } from './lower-thread-priority'
import { allowedCpus, currentThreadId, setThreadCpus } from './thread-affinity'

/**
 * The entry of each piscina worker thread (`PiscinaCpuWork` loads the compiled `cpu-worker.js`).
 * The fonts and PDFium (WebAssembly, ≈120 ms to load) are opened once per thread, on first use; a
 * thread runs one task at a time, so its PDFium instance is never entered twice. Both come from the
 * asset folder the pool was given (`ESIGN_ASSET_DIR`), else from node_modules. The thread lowers
 * its own CPU priority by the pool's `niceness`, so the event loop it serves runs first.
 */
const assetDir = (workerData as CpuWorkerData | undefined)?.assetDir
lowerThreadPriority((workerData as CpuWorkerData | undefined)?.niceness ?? 0)
runOnPoolCpus((workerData as CpuWorkerData | undefined)?.cpus)
useFontDirectory(assetDir)
const pdfiumWasmPath = assetDir === undefined ? undefined : path.join(assetDir, 'pdfium.wasm')

let font: SealFont | undefined
let pdfium: ReturnType<typeof loadPdfium> | undefined
const env: CpuTaskEnv = {
  sealFont: () => (font ??= sealFontFrom(fontFileSource(notoSansScPath('bold')))),
  textFont: loadNotoSansSc,
  renderPage: async (request) => renderPdfPage(await (pdfium ??= loadPdfium(pdfiumWasmPath)), request, DEFAULT_PAGE_RENDER_LIMITS),
}

/** A thread started while the event loop was kept on one CPU inherited that CPU alone: back to the pool's CPUs. */
function runOnPoolCpus(cpus: number[] | undefined): void {
  const tid = currentThreadId()
  if (!cpus?.length || tid === undefined) return
  const mine = allowedCpus(tid)
  if (mine && mine.join(',') !== cpus.join(',')) setThreadCpus(tid, cpus)
}

export function runTask(task: CpuTask): Promise<CpuTaskResult> {
  return runCpuTask(task, env)
}
