// Rego values in linear memory: a pointer to a block whose first byte is the type tag
// (layout in docs/wasm-runtime.md). Objects and sets are hash tables with a cached
// sorted order, so lookups are O(1) on average and iteration follows OPA's value order.
import { alloc, allocZeroed, blockIntact, heapEpoch, realloc } from "./mem";

export const TAG_NULL: u8 = 1;
export const TAG_BOOL: u8 = 2;
export const TAG_NUMBER: u8 = 3;
export const TAG_STRING: u8 = 4;
export const TAG_ARRAY: u8 = 5;
export const TAG_OBJECT: u8 = 6;
export const TAG_SET: u8 = 7;

const NULL_VALUE = memory.data<u32>([1]);
const TRUE_VALUE = memory.data<u32>([2, 1]);
const FALSE_VALUE = memory.data<u32>([2, 0]);

export function tagOf(v: usize): u8 {
  return v == 0 ? 0 : load<u8>(v);
}

// ---------------------------------------------------------------- scalars

export function nullValue(): usize {
  return NULL_VALUE;
}

export function boolValue(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

export function boolOf(v: usize): bool {
  return load<u32>(v, 4) != 0;
}

export function numberValue(d: f64): usize {
  const v = inline.always(alloc(16));
  store<u8>(v, TAG_NUMBER);
  store<f64>(v, d, 8);
  return v;
}

export function numberOf(v: usize): f64 {
  return load<f64>(v, 8);
}

export function isNumber(v: usize): bool {
  return tagOf(v) == TAG_NUMBER;
}

export function isIntegral(d: f64): bool {
  return isFinite(d) && Math.floor(d) == d;
}

// ---------------------------------------------------------------- strings

/** Bytes of a string block: tag, length, pointer, and the hash (0 until first computed). */
export const STRING_HEADER: usize = 16;

export function stringValue(ptr: usize, len: u32): usize {
  return initString(inline.always(alloc(STRING_HEADER)), ptr, len);
}

/** Writes a string header at `v` (STRING_HEADER bytes). */
export function initString(v: usize, ptr: usize, len: u32): usize {
  store<u8>(v, TAG_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>ptr, 8);
  store<u32>(v, 0, 12);
  return v;
}

/** A string value with room for `len` bytes, to be written at strPtr(v). */
export function newString(len: u32): usize {
  const bytes = alloc(<usize>len);
  return stringValue(bytes, len);
}

export function strLen(v: usize): u32 {
  return load<u32>(v, 4);
}

export function strPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}

export function isString(v: usize): bool {
  return tagOf(v) == TAG_STRING;
}

/** A string value copied from a static literal (ASCII). */
export function literal(s: string): usize {
  const n = <u32>s.length;
  const v = newString(n);
  const dst = strPtr(v);
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + ((<usize>i) << 1)));
  return v;
}

export function concatStrings(a: usize, b: usize): usize {
  const la = strLen(a);
  const lb = strLen(b);
  const v = newString(la + lb);
  memory.copy(strPtr(v), strPtr(a), la);
  memory.copy(strPtr(v) + la, strPtr(b), lb);
  return v;
}

// ---------------------------------------------------------------- arrays

export function arrayValue(cap: u32): usize {
  const v = inline.always(alloc(16));
  store<u8>(v, TAG_ARRAY);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, cap > 0 ? <u32>alloc((<usize>cap) << 2) : 0, 12);
  return v;
}

export function arrLen(v: usize): u32 {
  return load<u32>(v, 4);
}

export function arrGet(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + ((<usize>i) << 2));
}

export function arrData(v: usize): usize {
  return <usize>load<u32>(v, 12);
}

export function arrPush(v: usize, x: usize): void {
  const len = load<u32>(v, 4);
  let cap = load<u32>(v, 8);
  let data = <usize>load<u32>(v, 12);
  if (len == cap) {
    const ncap = cap < 4 ? 4 : cap << 1;
    data = realloc(data, (<usize>cap) << 2, (<usize>ncap) << 2);
    cap = ncap;
    store<u32>(v, cap, 8);
    store<u32>(v, <u32>data, 12);
  }
  store<u32>(data + ((<usize>len) << 2), <u32>x);
  store<u32>(v, len + 1, 4);
}

// ---------------------------------------------------------------- objects and sets

// Collection header: 4 count, 8 entry capacity, 12 entries, 16 slot count, 20 slots,
// 24 sorted entry addresses (0 = stale), 28 heap epoch the sorted cache was built in.
// Entries are 12 bytes: key, value, hash.
const ENTRY: usize = 12;

function newCollection(tag: u8): usize {
  // Four stores instead of memory.fill, which V8 compiles to a call into the engine.
  const v = inline.always(alloc(32));
  store<u64>(v, <u64>tag);
  store<u64>(v, 0, 8);
  store<u64>(v, 0, 16);
  store<u64>(v, 0, 24);
  return v;
}

export function objectValue(): usize {
  return newCollection(TAG_OBJECT);
}

export function setValue(): usize {
  return newCollection(TAG_SET);
}

export function collCount(v: usize): u32 {
  return load<u32>(v, 4);
}

function entries(v: usize): usize {
  return <usize>load<u32>(v, 12);
}

export function entryAt(v: usize, i: u32): usize {
  return entries(v) + <usize>i * ENTRY;
}

// Lookups are the commonest thing evaluations do, and V8 does not inline Wasm calls: the
// path from rt_get to a matching string key is inlined where it is hot (`inline.always`),
// down to the byte comparison.

/** Whether the stored key `k` equals `key` (whose hash matched): strings compared in place. */
function sameKey(k: usize, key: usize): bool {
  if (k == key) return true;
  if (key != 0 && load<u8>(k) == TAG_STRING && load<u8>(key) == TAG_STRING) {
    return inline.always(sameStringBytes(k, key));
  }
  return valuesEqual(k, key);
}

/** Whether two string values have the same bytes. */
function sameStringBytes(a: usize, b: usize): bool {
  const n = strLen(a);
  return n == strLen(b) && inline.always(bytesEqual(strPtr(a), strPtr(b), n));
}

/** Index of the entry holding `key`, or -1. */
function findEntry(v: usize, key: usize, h: u32): i32 {
  const ents = entries(v);
  const nslots = load<u32>(v, 16);
  if (nslots == 0) {
    // Small collections (the common case: input objects, role lists) have no slot table; a
    // scan comparing stored hashes first is cheaper than building one.
    const n = collCount(v);
    for (let i: u32 = 0; i < n; i++) {
      const e = ents + <usize>i * ENTRY;
      if (load<u32>(e, 8) == h && inline.always(sameKey(<usize>load<u32>(e), key))) {
        return <i32>i;
      }
    }
    return -1;
  }
  const slots = <usize>load<u32>(v, 20);
  const mask = nslots - 1;
  let i = h & mask;
  while (true) {
    const s = load<u32>(slots + ((<usize>i) << 2));
    if (s == 0) return -1;
    const e = ents + <usize>(s - 1) * ENTRY;
    if (load<u32>(e, 8) == h && inline.always(sameKey(<usize>load<u32>(e), key))) {
      return <i32>(s - 1);
    }
    i = (i + 1) & mask;
  }
}

/** Collections up to this size have no slot table (findEntry scans them). */
const SMALL: u32 = 8;

function placeSlot(slots: usize, mask: u32, h: u32, index: u32): void {
  let i = h & mask;
  while (load<u32>(slots + ((<usize>i) << 2)) != 0) i = (i + 1) & mask;
  store<u32>(slots + ((<usize>i) << 2), index + 1);
}

function rebuildSlots(v: usize, nslots: u32): void {
  const slots = allocZeroed((<usize>nslots) << 2);
  const n = collCount(v);
  const ents = entries(v);
  for (let i: u32 = 0; i < n; i++) {
    placeSlot(slots, nslots - 1, load<u32>(ents + <usize>i * ENTRY, 8), i);
  }
  store<u32>(v, nslots, 16);
  store<u32>(v, <u32>slots, 20);
}

function appendEntry(v: usize, key: usize, val: usize, h: u32): void {
  const n = collCount(v);
  const cap = load<u32>(v, 8);
  if (n == cap) {
    const ncap = cap < 4 ? 4 : cap << 1;
    const ents = realloc(entries(v), <usize>cap * ENTRY, <usize>ncap * ENTRY);
    store<u32>(v, ncap, 8);
    store<u32>(v, <u32>ents, 12);
  }
  const e = entries(v) + <usize>n * ENTRY;
  store<u32>(e, <u32>key);
  store<u32>(e, <u32>val, 4);
  store<u32>(e, h, 8);
  store<u32>(v, n + 1, 4);
  store<u32>(v, 0, 24);
  const nslots = load<u32>(v, 16);
  if (nslots == 0) {
    if (n + 1 > SMALL) rebuildSlots(v, SMALL << 2);
  } else if ((n + 1) * 4 > nslots * 3) {
    rebuildSlots(v, nslots << 1);
  } else {
    placeSlot(<usize>load<u32>(v, 20), nslots - 1, h, n);
  }
}

/** Object or set lookup: the entry address holding `key`, or 0. */
export function collFind(v: usize, key: usize): usize {
  const i = findEntry(v, key, inline.always(hashValue(key)));
  return i < 0 ? 0 : entryAt(v, <u32>i);
}

export function objGet(v: usize, key: usize): usize {
  const e = inline.always(collFind(v, key));
  return e == 0 ? 0 : <usize>load<u32>(e, 4);
}

/** Inserts key → val; returns 1 if the key holds a different value (left unchanged). */
export function objInsert(v: usize, key: usize, val: usize): i32 {
  const h = hashValue(key);
  const i = findEntry(v, key, h);
  if (i >= 0) return valuesEqual(<usize>load<u32>(entryAt(v, <u32>i), 4), val) ? 0 : 1;
  appendEntry(v, key, val, h);
  return 0;
}

/** Inserts or overwrites key → val. */
export function objSet(v: usize, key: usize, val: usize): void {
  const h = hashValue(key);
  const i = findEntry(v, key, h);
  if (i >= 0) store<u32>(entryAt(v, <u32>i), <u32>val, 4);
  else appendEntry(v, key, val, h);
}

export function setAdd(v: usize, x: usize): void {
  addHashed(v, x, hashValue(x));
}

function addHashed(v: usize, x: usize, h: u32): void {
  if (findEntry(v, x, h) < 0) appendEntry(v, x, x, h);
}

/** Element number `i` of a set in insertion order: for work whose result order is moot. */
export function setElementAt(v: usize, i: u32): usize {
  return <usize>load<u32>(entryAt(v, i));
}

/** Whether set or object `v` holds the key of entry `e` of another collection. */
export function hasEntryKey(v: usize, e: usize): bool {
  return findEntry(v, <usize>load<u32>(e), load<u32>(e, 8)) >= 0;
}

/** Adds every element of set `s` to set `v`, reusing the hashes `s` stored. */
export function setAddAll(v: usize, s: usize): void {
  const n = collCount(s);
  for (let i: u32 = 0; i < n; i++) setAddEntry(v, entryAt(s, i));
}

/** Adds the key of entry `e` of another set to set `v`. */
export function setAddEntry(v: usize, e: usize): void {
  addHashed(v, <usize>load<u32>(e), load<u32>(e, 8));
}

/** Removes `key` if present (O(n): rare, used by opa_value_remove_path). */
export function collRemove(v: usize, key: usize): void {
  const i = findEntry(v, key, hashValue(key));
  if (i < 0) return;
  const n = collCount(v);
  const e = entryAt(v, <u32>i);
  memory.copy(e, e + ENTRY, <usize>(n - 1 - <u32>i) * ENTRY);
  store<u32>(v, n - 1, 4);
  store<u32>(v, 0, 24);
  if (load<u32>(v, 16) != 0) rebuildSlots(v, load<u32>(v, 16));
}

/**
 * Entry addresses in key order, cached until the next insert or remove. The cache may be
 * built after the collection (say, data iterated during an evaluation), so a heap reset
 * can reclaim it while the collection lives on: the recorded epoch detects that.
 */
export function sortedEntries(v: usize): usize {
  let sorted = <usize>load<u32>(v, 24);
  const n = collCount(v);
  if (sorted != 0 && blockIntact(load<u32>(v, 28), sorted, ((<usize>n) << 2) + 4)) return sorted;
  sorted = inline.always(alloc(((<usize>n) << 2) + 4));
  const ents = entries(v);
  for (let i: u32 = 0; i < n; i++)
    store<u32>(sorted + ((<usize>i) << 2), <u32>(ents + <usize>i * ENTRY));
  sortPointers(sorted, n, true);
  store<u32>(v, <u32>sorted, 24);
  store<u32>(v, heapEpoch(), 28);
  return sorted;
}

/** Address of entry number `i` in key order (a one-member collection needs no sorting). */
function sortedEntry(v: usize, i: u32): usize {
  if (collCount(v) == 1) return entries(v);
  return <usize>load<u32>(sortedEntries(v) + ((<usize>i) << 2));
}

/** Key (object) or element (set) number `i` in order. */
export function sortedKey(v: usize, i: u32): usize {
  return <usize>load<u32>(sortedEntry(v, i));
}

export function sortedVal(v: usize, i: u32): usize {
  return <usize>load<u32>(sortedEntry(v, i), 4);
}

/** Builds the sorted order of every collection in v, so it lives next to v in memory. */
export function presort(v: usize): void {
  const t = tagOf(v);
  if (t == TAG_ARRAY) {
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) presort(arrGet(v, i));
  } else if (t == TAG_OBJECT || t == TAG_SET) {
    const n = collCount(v);
    if (n > 1) sortedEntries(v);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(v, i);
      presort(<usize>load<u32>(e));
      if (t == TAG_OBJECT) presort(<usize>load<u32>(e, 4));
    }
  }
}

// ---------------------------------------------------------------- hashing

function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

export function hashBytes(p: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < n; i++) {
    h = (h ^ load<u8>(p + i)) * 0x01000193;
  }
  return h;
}

/** Equal values (by Rego equality, so `1 == 1.0`) hash equally. */
export function hashValue(v: usize): u32 {
  // Strings (most keys) cache their hash: no call for them once it is known.
  if (v != 0 && load<u8>(v) == TAG_STRING) {
    const h = load<u32>(v, 12);
    if (h != 0) return h;
  }
  return computeHash(v);
}

function computeHash(v: usize): u32 {
  switch (tagOf(v)) {
    case TAG_NULL:
      return 0x9e3779b9;
    case TAG_BOOL:
      return boolOf(v) ? 0x7f4a7c15 : 0x2545f491;
    case TAG_NUMBER: {
      let d = numberOf(v);
      if (d == 0) d = 0; // -0 and 0 are equal
      const bits = reinterpret<u64>(d);
      return mix((<u32>bits) ^ mix(<u32>(bits >>> 32)));
    }
    case TAG_STRING: {
      // Cached: keys such as constant strings and input fields are hashed on every lookup.
      let h = load<u32>(v, 12);
      if (h == 0) {
        h = hashBytes(strPtr(v), strLen(v)) | 1;
        store<u32>(v, h, 12);
      }
      return h;
    }
    case TAG_ARRAY: {
      let h: u32 = 0x3c6ef372;
      const n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) h = mix(h * 31 + hashValue(arrGet(v, i)));
      return h;
    }
    case TAG_OBJECT: {
      // Order-independent: a sum over entries, so insertion order does not matter.
      let h: u32 = 0xa54ff53a;
      const n = collCount(v);
      for (let i: u32 = 0; i < n; i++) {
        const e = entryAt(v, i);
        h += mix(load<u32>(e, 8) * 31 + hashValue(<usize>load<u32>(e, 4)));
      }
      return h;
    }
    case TAG_SET: {
      let h: u32 = 0x510e527f;
      const n = collCount(v);
      for (let i: u32 = 0; i < n; i++) h += mix(load<u32>(entryAt(v, i), 8));
      return h;
    }
  }
  return 0;
}

// ---------------------------------------------------------------- equality and order

export function valuesEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  const ta = tagOf(a);
  if (ta != tagOf(b) || a == 0 || b == 0) return false;
  switch (ta) {
    case TAG_NULL:
      return true;
    case TAG_BOOL:
      return boolOf(a) == boolOf(b);
    case TAG_NUMBER:
      return numberOf(a) == numberOf(b);
    case TAG_STRING: {
      // Both hashes cached and different: certainly different strings.
      const ha = load<u32>(a, 12);
      const hb = load<u32>(b, 12);
      if (ha != 0 && hb != 0 && ha != hb) return false;
      return sameStringBytes(a, b);
    }
    case TAG_ARRAY: {
      const n = arrLen(a);
      if (n != arrLen(b)) return false;
      for (let i: u32 = 0; i < n; i++) if (!valuesEqual(arrGet(a, i), arrGet(b, i))) return false;
      return true;
    }
    case TAG_OBJECT: {
      const n = collCount(a);
      if (n != collCount(b)) return false;
      for (let i: u32 = 0; i < n; i++) {
        const e = entryAt(a, i);
        const i2 = findEntry(b, <usize>load<u32>(e), load<u32>(e, 8));
        if (i2 < 0) return false;
        if (!valuesEqual(<usize>load<u32>(e, 4), <usize>load<u32>(entryAt(b, <u32>i2), 4))) {
          return false;
        }
      }
      return true;
    }
    case TAG_SET: {
      const n = collCount(a);
      if (n != collCount(b)) return false;
      for (let i: u32 = 0; i < n; i++) {
        const e = entryAt(a, i);
        if (findEntry(b, <usize>load<u32>(e), load<u32>(e, 8)) < 0) return false;
      }
      return true;
    }
  }
  return false;
}

/** Byte equality, eight bytes at a time (Wasm loads need no alignment). */
export function bytesEqual(p: usize, q: usize, n: u32): bool {
  let i: usize = 0;
  const len = <usize>n;
  while (i + 8 <= len) {
    if (load<u64>(p + i) != load<u64>(q + i)) return false;
    i += 8;
  }
  while (i < len) {
    if (load<u8>(p + i) != load<u8>(q + i)) return false;
    i++;
  }
  return true;
}

function cmpU32(a: u32, b: u32): i32 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareStrings(a: usize, b: usize): i32 {
  const la = strLen(a);
  const lb = strLen(b);
  const n = <usize>(la < lb ? la : lb);
  const p = strPtr(a);
  const q = strPtr(b);
  let i: usize = 0;
  // Skip the common prefix eight bytes at a time, then find the first differing byte.
  while (i + 8 <= n && load<u64>(p + i) == load<u64>(q + i)) i += 8;
  while (i < n) {
    const x = load<u8>(p + i);
    const y = load<u8>(q + i);
    if (x != y) return x < y ? -1 : 1;
    i++;
  }
  return cmpU32(la, lb);
}

/** OPA's total order: null < boolean < number < string < array < object < set. */
export function compareValues(a: usize, b: usize): i32 {
  if (a == b) return 0;
  const ta = tagOf(a);
  const tb = tagOf(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case TAG_BOOL:
      return cmpU32(<u32>boolOf(a), <u32>boolOf(b));
    case TAG_NUMBER: {
      const x = numberOf(a);
      const y = numberOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case TAG_STRING:
      return compareStrings(a, b);
    case TAG_ARRAY: {
      const na = arrLen(a);
      const nb = arrLen(b);
      const n = na < nb ? na : nb;
      for (let i: u32 = 0; i < n; i++) {
        const c = compareValues(arrGet(a, i), arrGet(b, i));
        if (c != 0) return c;
      }
      return cmpU32(na, nb);
    }
    case TAG_OBJECT:
    case TAG_SET: {
      const na = collCount(a);
      const nb = collCount(b);
      const n = na < nb ? na : nb;
      const sa = sortedEntries(a);
      const sb = sortedEntries(b);
      for (let i: u32 = 0; i < n; i++) {
        const ea = <usize>load<u32>(sa + ((<usize>i) << 2));
        const eb = <usize>load<u32>(sb + ((<usize>i) << 2));
        let c = compareValues(<usize>load<u32>(ea), <usize>load<u32>(eb));
        if (c == 0 && ta == TAG_OBJECT) {
          c = compareValues(<usize>load<u32>(ea, 4), <usize>load<u32>(eb, 4));
        }
        if (c != 0) return c;
      }
      return cmpU32(na, nb);
    }
  }
  return 0;
}

// ---------------------------------------------------------------- sorting

function sortKey(p: u32, indirect: bool): usize {
  return indirect ? <usize>load<u32>(<usize>p) : <usize>p;
}

/**
 * Stable bottom-up merge sort of `n` u32 pointers at `ptr` by value order. With `indirect`
 * the pointers are entry addresses and the value compared is the entry's key.
 */
export function sortPointers(ptr: usize, n: u32, indirect: bool): void {
  if (n < 2) return;
  // Insertion sort on runs of 8, then merges: cheap for the small collections policies use.
  const RUN: u32 = 8;
  for (let lo: u32 = 0; lo < n; lo += RUN) {
    const hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      const x = load<u32>(ptr + ((<usize>i) << 2));
      const kx = sortKey(x, indirect);
      let j = i;
      while (j > lo) {
        const y = load<u32>(ptr + ((<usize>(j - 1)) << 2));
        if (compareValues(sortKey(y, indirect), kx) <= 0) break;
        store<u32>(ptr + ((<usize>j) << 2), y);
        j--;
      }
      store<u32>(ptr + ((<usize>j) << 2), x);
    }
  }
  if (n <= RUN) return;
  let src = ptr;
  let dst = alloc((<usize>n) << 2);
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + (width << 1) < n ? lo + (width << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const x = load<u32>(src + ((<usize>i) << 2));
        const y = load<u32>(src + ((<usize>j) << 2));
        if (compareValues(sortKey(y, indirect), sortKey(x, indirect)) < 0) {
          store<u32>(dst + ((<usize>k) << 2), y);
          j++;
        } else {
          store<u32>(dst + ((<usize>k) << 2), x);
          i++;
        }
        k++;
      }
      // One of the two runs is exhausted; the rest of the other is already in order.
      memory.copy(dst + ((<usize>k) << 2), src + ((<usize>i) << 2), (<usize>(mid - i)) << 2);
      k += mid - i;
      memory.copy(dst + ((<usize>k) << 2), src + ((<usize>j) << 2), (<usize>(hi - j)) << 2);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != ptr) memory.copy(ptr, src, (<usize>n) << 2);
}
