// The one bump allocator behind every value. The SDK resets the heap pointer between
// evaluations (opa_heap_ptr_set), which is how memory stays flat; nothing is ever freed
// individually except the most recent block.
import { heap_base } from "./ccpol";
import { opa_abort } from "./env";

let heapPtr: usize = 0;
let lastBlock: usize = 0;
let scratchBase: usize = 0;

/**
 * Bytes reserved below the heap (see scratch()). Layout: 0-4631 six bignums (bignum.ts),
 * 4632-4663 double digits and 4664-5443 decimal digits (numconv.ts), 5504-6015 the heap
 * reset history (below), 6144-8191 the message of fatal().
 */
export const SCRATCH_BYTES: usize = 8192;

// The scratch area sits between the static data (ours and the generated code's) and the
// heap. Reserving it here instead of with memory.data keeps ~8 KB of zeros out of every
// module (imported memory forces binaryen to keep zero-filled segments).
function init(): void {
  let base = heap_base();
  if (base < __heap_base) base = __heap_base;
  scratchBase = (base + 15) & ~(<usize>15);
  ensureCapacity(scratchBase + SCRATCH_BYTES);
  if (heapPtr == 0) heapPtr = scratchBase + SCRATCH_BYTES;
}

/** Start of the scratch area (SCRATCH_BYTES, 16-aligned), never touched by the allocator. */
export function scratch(): usize {
  if (scratchBase == 0) init();
  return scratchBase;
}

export function heapPtrGet(): usize {
  if (heapPtr == 0) init();
  return heapPtr;
}

/** Incremented by every heap reset; lazily built caches record the epoch they were made in. */
let epoch: u32 = 1;

// Reset history as a monotonic stack of (epoch, floor) pairs in the scratch area: a new
// reset pops every entry whose floor is not lower, so floors (and epochs) increase upwards
// and the lowest reset point after epoch E is the floor of the first entry newer than E.
const RESETS_AT: usize = 5504;
const RESETS_MAX: u32 = 64;
let resets: u32 = 0;

function resetEntry(i: u32): usize {
  return scratch() + RESETS_AT + ((<usize>i) << 3);
}

function recordReset(ptr: usize): void {
  while (resets > 0 && <usize>load<u32>(resetEntry(resets - 1), 4) >= ptr) resets--;
  if (resets == RESETS_MAX) {
    // Full: merge the two oldest entries keeping the lower floor under the later epoch.
    // That can only report a lower floor than the truth, which costs a rebuild, never a
    // stale read.
    store<u32>(resetEntry(1), load<u32>(resetEntry(0), 4), 4);
    memory.copy(resetEntry(0), resetEntry(1), (<usize>(RESETS_MAX - 1)) << 3);
    resets--;
  }
  store<u32>(resetEntry(resets), epoch);
  store<u32>(resetEntry(resets), <u32>ptr, 4);
  resets++;
}

export function heapPtrSet(ptr: usize): void {
  if (scratchBase == 0) init();
  heapPtr = ptr;
  lastBlock = 0;
  epoch++;
  recordReset(ptr);
}

export function heapEpoch(): u32 {
  return epoch;
}

/**
 * Whether a block allocated in epoch `madeIn` at [ptr, ptr + size) is still intact: made
 * in the current epoch, or lying below every reset point since.
 */
export function blockIntact(madeIn: u32, ptr: usize, size: usize): bool {
  if (madeIn == epoch) return true;
  for (let i: u32 = 0; i < resets; i++) {
    const e = resetEntry(i);
    if (load<u32>(e) > madeIn) return ptr + size <= <usize>load<u32>(e, 4);
  }
  return true;
}

// The SDK may grow memory from JavaScript, so a cached size can only be too small: it is
// re-read before growing.
let memEnd: usize = 0;

function ensureCapacity(end: usize): void {
  if (end <= memEnd) return;
  memEnd = (<usize>memory.size()) << 16;
  if (end <= memEnd) return;
  const pages = <i32>((end - memEnd + 0xffff) >>> 16);
  if (memory.grow(pages) < 0) fatal("out of memory");
  memEnd = (<usize>memory.size()) << 16;
}

// Every value is allocated here and V8 does not inline Wasm calls: the hottest callers
// inline this common case (`inline.always`); the rest is allocSlow.
export function alloc(size: usize): usize {
  // The SDK may set an unaligned heap pointer (right after the input bytes it wrote).
  const p = (heapPtr + 7) & ~(<usize>7);
  const end = (p + size + 7) & ~(<usize>7);
  // A heap pointer of 0 (not yet initialised, or set so by a host) takes allocSlow too.
  if (p == 0 || end > memEnd || end < p) return allocSlow(size);
  heapPtr = end;
  lastBlock = p;
  return p;
}

function allocSlow(size: usize): usize {
  const p = (heapPtrGet() + 7) & ~(<usize>7);
  const end = (p + size + 7) & ~(<usize>7);
  if (end < p) fatal("out of memory");
  ensureCapacity(end);
  heapPtr = end;
  lastBlock = p;
  return p;
}

export function allocZeroed(size: usize): usize {
  const p = alloc(size);
  memory.fill(p, 0, size);
  return p;
}

/** Gives the block back if it is the most recent allocation; otherwise a no-op. */
export function free(ptr: usize): void {
  if (ptr != 0 && ptr == lastBlock) {
    heapPtr = ptr;
    lastBlock = 0;
  }
}

/** Grows a block, in place when it is the most recent allocation. */
export function realloc(ptr: usize, oldSize: usize, newSize: usize): usize {
  if (ptr != 0 && ptr == lastBlock) {
    const end = (ptr + newSize + 7) & ~(<usize>7);
    ensureCapacity(end);
    heapPtr = end;
    return ptr;
  }
  const q = inline.always(alloc(newSize));
  if (oldSize > 0) memory.copy(q, ptr, oldSize);
  return q;
}

/** Where fatal() writes its message: the tail of the scratch area, free of number scratch. */
const FATAL_AT: usize = 6144;

/**
 * Aborts with a static AssemblyScript string literal. The message goes to the reserved
 * scratch area, so aborting works even when the heap cannot grow.
 */
export function fatal(msg: string): void {
  const out = scratch() + FATAL_AT;
  let n = <usize>msg.length;
  if (n > SCRATCH_BYTES - FATAL_AT - 1) n = SCRATCH_BYTES - FATAL_AT - 1;
  const src = changetype<usize>(msg);
  for (let i: usize = 0; i < n; i++) store<u8>(out + i, <u8>load<u16>(src + (i << 1)));
  store<u8>(out + n, 0);
  opa_abort(out);
  unreachable();
}
