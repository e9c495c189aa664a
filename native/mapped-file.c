/*
 * Read-only shared mappings of store files for the broker's in-line reads (Java MappedFile's read
 * side). One function:
 *
 *   map(fd: number, length: number): ArrayBuffer
 *
 * maps bytes [0, length) of `fd` with PROT_READ and MAP_SHARED (the page cache itself: what pwrite
 * wrote is visible at once) and returns them as an external ArrayBuffer. The mapping lives as long
 * as that ArrayBuffer: V8 calls `unmap` once the buffer and every view of it are collected, so no
 * JavaScript reference can outlive the mapping. The caller keeps every access below the file's
 * size (a page past the end of the file raises SIGBUS).
 *
 *   release(buffer: ArrayBuffer): void
 *
 * detaches a buffer `map` returned: its views see zero bytes from then on and V8 drops the backing
 * store, which unmaps it now rather than at a later collection (a deleted segment's disk space is
 * freed at once).
 *
 *   gather(source: Uint8Array, target: Uint8Array, runs: Float64Array, count: number): void
 *
 * copies `count` runs, each three numbers of `runs` (source position, target position, length in
 * bytes), from `source` into `target`: one call for all the records of a pull answer, where
 * Buffer.copy costs a call and (Node 20) a new Uint8Array per record. Every run is checked against
 * both arrays' lengths before anything is copied; a run outside them throws RangeError.
 *
 *   trim(): boolean
 *
 * gives the free pages of every malloc arena back to the kernel (glibc's malloc_trim(0)); true
 * when any were. glibc keeps what the threads freed (a burst of large frames, the connection
 * workers' own arenas) for reuse, so a process's RSS stays near its peak after the burst. False,
 * doing nothing, on a C library without it.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd = -1;
  int64_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &length) != napi_ok ||
      fd < 0 || length <= 0) {
    napi_throw_type_error(env, "EINVAL", "map(fd, length): a descriptor and a positive length");
    return NULL;
  }
  void *address = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) {
    napi_throw_error(env, "EMMAP", "mmap failed");
    return NULL;
  }
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, address, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) !=
      napi_ok) {
    munmap(address, (size_t)length);
    napi_throw_error(env, "EMMAP", "the mapping could not be wrapped as an ArrayBuffer");
    return NULL;
  }
  return buffer;
}

static napi_value release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool is_buffer = false;
  bool detached = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_is_arraybuffer(env, argv[0], &is_buffer) != napi_ok || !is_buffer) {
    napi_throw_type_error(env, "EINVAL", "release(buffer): an ArrayBuffer from map");
    return NULL;
  }
  if (napi_is_detached_arraybuffer(env, argv[0], &detached) == napi_ok && !detached &&
      napi_detach_arraybuffer(env, argv[0]) != napi_ok) {
    napi_throw_error(env, "EDETACH", "the mapping could not be detached");
  }
  return NULL;
}

/* The bytes of a Uint8Array argument; false (and a TypeError thrown) when it is not one. */
static bool bytes_of(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool is_typedarray = false;
  napi_typedarray_type type;
  void *pointer = NULL;
  if (napi_is_typedarray(env, value, &is_typedarray) != napi_ok || !is_typedarray ||
      napi_get_typedarray_info(env, value, &type, length, &pointer, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    napi_throw_type_error(env, "EINVAL", "gather(source, target, runs, count): Uint8Arrays and a Float64Array");
    return false;
  }
  *data = (uint8_t *)pointer;
  return true;
}

/* A run's number as a byte count or position: a whole number in [0, limit]; false otherwise. */
static bool position_of(double value, size_t limit, size_t *out) {
  if (!(value >= 0) || value > (double)limit || value != (double)(size_t)value) return false;
  *out = (size_t)value;
  return true;
}

static napi_value gather(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  uint8_t *source = NULL, *target = NULL;
  size_t source_length = 0, target_length = 0, run_numbers = 0;
  napi_typedarray_type type;
  void *runs_data = NULL;
  uint32_t count = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, "EINVAL", "gather(source, target, runs, count)");
    return NULL;
  }
  if (!bytes_of(env, argv[0], &source, &source_length) || !bytes_of(env, argv[1], &target, &target_length))
    return NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &run_numbers, &runs_data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || napi_get_value_uint32(env, argv[3], &count) != napi_ok ||
      (size_t)count * 3 > run_numbers) {
    napi_throw_type_error(env, "EINVAL", "gather: runs must be a Float64Array holding count triples");
    return NULL;
  }
  const double *runs = (const double *)runs_data;
  for (uint32_t i = 0; i < count; i++) {
    size_t from, to, length;
    if (!position_of(runs[3 * i + 2], SIZE_MAX, &length) || !position_of(runs[3 * i], source_length, &from) ||
        !position_of(runs[3 * i + 1], target_length, &to) || length > source_length - from ||
        length > target_length - to) {
      napi_throw_range_error(env, "ERANGE", "gather: a run is outside the source or the target");
      return NULL;
    }
  }
  for (uint32_t i = 0; i < count; i++)
    memcpy(target + (size_t)runs[3 * i + 1], source + (size_t)runs[3 * i], (size_t)runs[3 * i + 2]);
  return NULL;
}

static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
#ifdef __GLIBC__
  bool released = malloc_trim(0) != 0;
#else
  bool released = false;
#endif
  napi_value result;
  if (napi_get_boolean(env, released, &result) != napi_ok) return NULL;
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "map", NAPI_AUTO_LENGTH, map_file, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "map", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "release", NAPI_AUTO_LENGTH, release, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "release", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "gather", NAPI_AUTO_LENGTH, gather, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "gather", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
