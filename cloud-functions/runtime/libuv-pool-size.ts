/**
 * Imported first by the local server's entry, before anything touches the libuv thread pool: file
 * writes, their fsyncs and the SQLite write-ahead-log flushes (group commit) all queue on that pool,
 * and behind libuv's default of 4 threads a commit's flush waits for unrelated object writes. Sized
 * 16 unless `UV_THREADPOOL_SIZE` is set (the threads mostly wait on the disk, not the CPU).
 */
export const LIBUV_POOL_SIZE = (process.env.UV_THREADPOOL_SIZE ||= '16')
