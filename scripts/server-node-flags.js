'use strict'
/**
 * The node flags the local server runs with (`npm start`, and the HTTP benchmarks, which measure what
 * `npm start` runs). V8 flags are per process, so the CPU-pool workers get them too.
 *
 * Under load V8's defaults let each isolate (the event loop's and each worker's) grow its young
 * generation to 16 MB semi-spaces and its old generation by up to 4× between full collections, so
 * the peak RSS depended on how long the process had been busy (bench:bulk: 184 MB for 100 rows,
 * 288 MB for 1,000, 316 MB for 3,000):
 * - `--heap-growing-percent=100` lets the old generation grow by its live size before the next full
 *   collection (most of the growth with the rows was garbage waiting for one). It was 50 until
 *   2026-12-05: bench:flow then ran about twice as many full collections (11 against 5-6 per 120
 *   contracts, all isolates), and each one makes V8 compile again the functions whose optimized code
 *   only per-call closures held; bench:bulk's peak RSS for 1,000 rows against 100 went from 1.06-1.09
 *   to about 1.10 (200 would have saved a few more compilations, at 1.19);
 * - `--max-semi-space-size=8` (MB) halves the nurseries. 2 MB would save 35 MB more, but bench:flow
 *   then ran 7× as many scavenges (≈ 3 ms more main-thread time per contract); with 8 MB it ran twice
 *   as many for the same total pause time.
 * With both, bench:bulk's server CPU per row and bench:flow's per contract stayed within the
 * benchmarks' noise.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=100']

module.exports = { SERVER_NODE_FLAGS }
