/** What each CPU worker thread is started with (piscina's `workerData`). */
export type CpuWorkerData = {
  /** The folder with `fonts/` and `pdfium.wasm` (`ESIGN_ASSET_DIR`); absent: the files in node_modules. */
  assetDir?: string
  /** How many nice steps below the event loop each thread runs (`lowerThreadPriority`); 0 or absent: the same priority. */
  niceness?: number
  /**
   * The CPUs each thread runs on. A thread starts with the mask of the thread that starts it, and the
   * local server keeps its event loop on one CPU (runtime/pin-event-loop.ts): a worker started after
   * that sets its own back to these. Absent: left as inherited.
   */
  cpus?: number[]
}
