import { fontFileSource, loadNotoSansSc, notoSansScPath } from '../local/noto-sans-sc-font'
import { sealFontFrom, type SealFont } from '../../core/seals/drawing'
import { runCpuTask, type CpuTask, type CpuTaskResult } from './cpu-task'

/**
 * The entry of each piscina worker thread (`PiscinaCpuWork` loads the compiled `cpu-worker.js`).
 * The fonts are opened once per thread, on first use.
 */
let font: SealFont | undefined
const env = { sealFont: () => (font ??= sealFontFrom(fontFileSource(notoSansScPath('bold')))), textFont: loadNotoSansSc }

export function runTask(task: CpuTask): Promise<CpuTaskResult> {
  return runCpuTask(task, env)
}
