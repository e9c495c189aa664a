// Imported first by the CLI entry points: the libuv thread pool (file reads off the event loop,
// fdatasync, consume-queue flushes) gets 16 threads instead of 4, unless the operator set
// UV_THREADPOOL_SIZE. It must be set before the pool's first use, which is why this is a module of
// its own at the top of the imports.
//
// The count: cold pulls read 3 at a time (get-message readGate), each up to 4 runs at once (12),
// consume-queue fdatasyncs 2 at a time, index and checkpoint writes 1-2: 16 leaves a thread for
// the commit log's fdatasync, which SYNC_FLUSH sends wait for. Idle threads cost no CPU.
const DEFAULT_THREAD_POOL_SIZE = 16;

if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREAD_POOL_SIZE);
}

export const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE);
