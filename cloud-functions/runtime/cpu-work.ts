import fs from 'node:fs'
import path from 'node:path'
import { fontFileSource, loadNotoSansSc, notoSansScPath } from '../adapters/local/noto-sans-sc-font'
import { sealFontFrom, type SealFont } from '../core/seals/drawing'
import type { CpuWork } from '../ports/cpu-work'
import type { Container } from './container'
import { allowedCpus } from '../adapters/cpu/thread-affinity'
import { cpusForNewThreads } from './pin-event-loop'

const pools = new WeakMap<object, Promise<CpuWork>>()

/**
 * The container's CPU work (ports/cpu-work.ts), built once per container (keyed by its metadata
 * store, which the per-request copies of the container share). `config.cpuWorkers` threads
 * (`ESIGN_CPU_WORKERS`; local default: the number of cores, at least 2) run it off the event loop;
 * 0 (the AWS default) runs it inline. piscina is loaded only when threads are used, so Lambda
 * bundles never load it; the inline tasks are loaded on the first call.
 */
export function getCpuWork(deps: Container): Promise<CpuWork> {
  let work = pools.get(deps.metadata)
  if (!work) {
    work = createCpuWork(deps)
    pools.set(deps.metadata, work)
    work.catch(() => pools.delete(deps.metadata))
  }
  return work
}

/** Stop the container's worker threads, if any were started (server shutdown, test teardown). */
export async function closeCpuWork(deps: Container): Promise<void> {
  const work = pools.get(deps.metadata)
  pools.delete(deps.metadata)
  if (work) await (await work).close()
}

async function createCpuWork(deps: Container): Promise<CpuWork> {
  const threads = deps.config.cpuWorkers ?? 0
  if (threads === 0) {
    let font: SealFont | undefined
    const assetDir = deps.config.assetDir
    // Loaded here, not at import: the CPU tasks (PDF signing, reports, images, pdf-lib) are most of
    // a bundle's code, and a cold start whose first request does no CPU work never evaluates them.
    const { InlineCpuWork } = await import('../adapters/cpu/inline-cpu-work')
    return new InlineCpuWork({
      sealFont: () => (font ??= sealFontFrom(fontFileSource(notoSansScPath('bold')))),
      textFont: loadNotoSansSc,
      pdfiumWasmPath: assetDir === undefined ? undefined : path.join(assetDir, 'pdfium.wasm'),
    })
  }
  const { PiscinaCpuWork } = await import('../adapters/cpu/piscina-cpu-work')
  // The process's CPUs, for threads started after the event loop was kept on one of them (pin-event-loop.ts).
  const cpus = cpusForNewThreads() ?? allowedCpus()
  return new PiscinaCpuWork({ workerFile: workerFile(), threads, maxQueue: threads * 32, assetDir: deps.config.assetDir, niceness: deps.config.cpuWorkerNice, ...(cpus ? { cpus } : {}) })
}

/**
 * The compiled worker entry. Compiled server (`build/`): the sibling file. TypeScript run by jest
 * (swc transforms in the main thread only): the `build/` copy, which `npm test` compiles first
 * (`npm run build:server` when running one test file).
 */
function workerFile(): string {
  const compiled = __filename.endsWith('.js')
    ? path.join(__dirname, '..', 'adapters', 'cpu', 'cpu-worker.js')
    : path.resolve(__dirname, '..', '..', 'build', 'cloud-functions', 'adapters', 'cpu', 'cpu-worker.js')
  if (!fs.existsSync(compiled)) throw new Error(`the CPU worker ${compiled} is missing: run npm run build:server`)
  return compiled
}
