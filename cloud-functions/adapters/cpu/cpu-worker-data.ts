/** What each CPU worker thread is started with (piscina's `workerData`). */
export type CpuWorkerData = {
  /** The folder with `fonts/` and `pdfium.wasm` (`ESIGN_ASSET_DIR`); absent: the files in node_modules. */
  assetDir?: string
}
