// Imported first by the CLI entry points: the libuv thread pool (file reads off the event loop,
// fdatasync, consume-queue flushes) gets 8 threads instead of 4, unless the operator set
// UV_THREADPOOL_SIZE. It must be set before the pool's first use, which is why this is a module of
// its own at the top of the imports.
const DEFAULT_THREAD_POOL_SIZE = 8;

if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREAD_POOL_SIZE);
}

export const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE);
