// The policy runtime's exports: OPA's Wasm ABI (version 1.2) and the rt_* functions the
// code generator calls. The contract is docs/wasm-runtime.md.
import { builtins_json, entrypoints_json, eval_entrypoint } from "./ccpol";
import {
  opa_abort,
  opa_builtin0,
  opa_builtin1,
  opa_builtin2,
  opa_builtin3,
  opa_builtin4,
  opa_println,
} from "./env";
import { alloc, allocZeroed, fatal, free, heapPtrGet, heapPtrSet } from "./mem";
import { MODE_JSON, MODE_VALUE, dumpC, dumpResultJSON, parseText } from "./json";
import { clearError, failFromHost, lastErrorC, lastErrorCodedC } from "./errors";
import {
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
  arrGet,
  arrLen,
  arrPush,
  arrayValue,
  boolOf,
  boolValue,
  collCount,
  collFind,
  collRemove,
  compareValues,
  concatStrings,
  hashValue,
  isIntegral,
  nullValue,
  numberOf,
  numberValue,
  objGet,
  objInsert,
  objSet,
  objectValue,
  presort,
  setAdd,
  setValue,
  sortedEntries,
  sortedKey,
  sortedVal,
  stringValue,
  strLen,
  tagOf,
  valuesEqual,
} from "./value";

export * from "./builtins";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

// ---------------------------------------------------------------- memory

export function opa_malloc(size: usize): usize {
  return alloc(size);
}

export function opa_free(ptr: usize): void {
  free(ptr);
}

export function opa_heap_ptr_get(): usize {
  return heapPtrGet();
}

export function opa_heap_ptr_set(ptr: usize): void {
  heapPtrSet(ptr);
}

// ---------------------------------------------------------------- text

// Values parsed through the ABI are usually data kept across evaluations: their sorted
// orders are built now, below the heap pointer the host will reset to.
export function opa_json_parse(ptr: usize, len: usize): usize {
  const v = parseText(ptr, <u32>len, false);
  if (v != 0) presort(v);
  return v;
}

export function opa_value_parse(ptr: usize, len: usize): usize {
  const v = parseText(ptr, <u32>len, true);
  if (v != 0) presort(v);
  return v;
}

export function opa_json_dump(v: usize): usize {
  return dumpC(v, MODE_JSON);
}

export function opa_value_dump(v: usize): usize {
  return dumpC(v, MODE_VALUE);
}

// ---------------------------------------------------------------- paths

const ERR_OK: i32 = 0;
const ERR_INVALID_TYPE: i32 = 2;
const ERR_INVALID_PATH: i32 = 3;

export function opa_value_add_path(base: usize, path: usize, v: usize): i32 {
  if (tagOf(path) != TAG_ARRAY || arrLen(path) == 0) return ERR_INVALID_PATH;
  if (tagOf(base) != TAG_OBJECT) return ERR_INVALID_TYPE;
  const n = arrLen(path);
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const next = objGet(cur, arrGet(path, i));
    if (next != 0 && tagOf(next) != TAG_OBJECT) return ERR_INVALID_TYPE;
    if (next == 0) break;
    cur = next;
  }
  // Validated; now insert, creating missing objects, and rebuild the sorted orders of the
  // objects touched while the host still owns the heap (see opa_json_parse).
  cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrGet(path, i);
    let next = objGet(cur, k);
    if (next == 0) {
      next = objectValue();
      objSet(cur, k, next);
    }
    sortedEntries(cur);
    cur = next;
  }
  objSet(cur, arrGet(path, n - 1), v);
  sortedEntries(cur);
  presort(v);
  return ERR_OK;
}

export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (tagOf(path) != TAG_ARRAY || arrLen(path) == 0) return ERR_INVALID_PATH;
  if (tagOf(base) != TAG_OBJECT) return ERR_INVALID_TYPE;
  const n = arrLen(path);
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const next = objGet(cur, arrGet(path, i));
    if (next == 0) return ERR_OK;
    if (tagOf(next) != TAG_OBJECT) return ERR_INVALID_TYPE;
    cur = next;
  }
  collRemove(cur, arrGet(path, n - 1));
  sortedEntries(cur);
  return ERR_OK;
}

// ---------------------------------------------------------------- evaluation

// ctx block: 0 entrypoint, 4 data, 8 input, 12 result set (0 until asked for), 16 the
// entrypoint's value.
let currentCtx: usize = 0;

export function opa_eval_ctx_new(): usize {
  return allocZeroed(20);
}

export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 8);
}

export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, entrypoint: i32): void {
  store<i32>(ctx, entrypoint);
}

/** The result set, built on first request: opa_eval's JSON path never needs it. */
export function opa_eval_ctx_get_result(ctx: usize): usize {
  let rs = <usize>load<u32>(ctx, 12);
  if (rs == 0) {
    rs = resultSet(<usize>load<u32>(ctx, 16));
    store<u32>(ctx, <u32>rs, 12);
  }
  return rs;
}

/** `{{"result": v}}`, or the empty set when `v` is undefined (0). */
function resultSet(v: usize): usize {
  const rs = setValue();
  if (v != 0) {
    const row = objectValue();
    objSet(row, RESULT_KEY, v);
    setAdd(rs, row);
  }
  return rs;
}

export function eval(ctx: usize): i32 {
  clearError();
  currentCtx = ctx;
  const v = eval_entrypoint(load<i32>(ctx), <usize>load<u32>(ctx, 8), <usize>load<u32>(ctx, 4));
  store<u32>(ctx, 0, 12);
  store<u32>(ctx, <u32>v, 16);
  return 0;
}

const RESULT_BYTES = memory.data<u8>([114, 101, 115, 117, 108, 116]);
const RESULT_KEY = memory.data<u32>([4, 6, <u32>RESULT_BYTES, 0]);

export function opa_eval(
  _reserved: i32,
  entrypoint: i32,
  data: usize,
  input: usize,
  inputLen: usize,
  heapPtr: usize,
  format: i32,
): usize {
  const v = ccpol_eval_value(entrypoint, data, input, inputLen, heapPtr);
  if (format == 1) return dumpC(resultSet(v), MODE_VALUE);
  return dumpResultJSON(v);
}

/**
 * Extension export for hosts that read values in place (docs/wasm-runtime.md): opa_eval
 * without the JSON dump. Returns the entrypoint's value, 0 when it is undefined.
 */
export function ccpol_eval_value(
  entrypoint: i32,
  data: usize,
  input: usize,
  inputLen: usize,
  heapPtr: usize,
): usize {
  heapPtrSet(heapPtr);
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = parseText(input, <u32>inputLen, false);
    if (inputValue == 0) fatal("opa_eval: invalid input JSON");
  }
  const ctx = opa_eval_ctx_new();
  opa_eval_ctx_set_entrypoint(ctx, entrypoint);
  opa_eval_ctx_set_data(ctx, data);
  opa_eval_ctx_set_input(ctx, inputValue);
  eval(ctx);
  return <usize>load<u32>(ctx, 16);
}

/** Extension export: the entry addresses of an object or set in key order. */
export function ccpol_sorted_entries(v: usize): usize {
  return sortedEntries(v);
}

function parseCString(p: usize): usize {
  let n: usize = 0;
  while (load<u8>(p + n) != 0) n++;
  return parseText(p, <u32>n, false);
}

export function builtins(): usize {
  return parseCString(builtins_json());
}

export function entrypoints(): usize {
  return parseCString(entrypoints_json());
}

// ---------------------------------------------------------------- rt_* for generated code

export function rt_ctx(): usize {
  return currentCtx;
}

export function rt_null(): usize {
  return nullValue();
}

export function rt_bool(b: i32): usize {
  return boolValue(b != 0);
}

export function rt_number(d: f64): usize {
  return numberValue(d);
}

export function rt_string(ptr: usize, len: u32): usize {
  return stringValue(ptr, len);
}

export function rt_array(cap: u32): usize {
  return arrayValue(cap);
}

export function rt_array_push(arr: usize, v: usize): void {
  arrPush(arr, v);
}

export function rt_object(): usize {
  return objectValue();
}

export function rt_object_insert(obj: usize, k: usize, v: usize): i32 {
  return objInsert(obj, k, v);
}

export function rt_object_set(obj: usize, k: usize, v: usize): void {
  objSet(obj, k, v);
}

export function rt_set(): usize {
  return setValue();
}

export function rt_set_add(set: usize, v: usize): void {
  setAdd(set, v);
}

export function rt_type(v: usize): i32 {
  return tagOf(v);
}

export function rt_get(coll: usize, key: usize): usize {
  switch (tagOf(coll)) {
    case TAG_ARRAY: {
      if (tagOf(key) != TAG_NUMBER) return 0;
      const d = numberOf(key);
      if (!isIntegral(d) || d < 0 || d >= <f64>arrLen(coll)) return 0;
      return arrGet(coll, <u32>d);
    }
    case TAG_OBJECT:
      return inline.always(objGet(coll, key));
    case TAG_SET: {
      const e = inline.always(collFind(coll, key));
      return e == 0 ? 0 : <usize>load<u32>(e);
    }
  }
  return 0;
}

export function rt_length(coll: usize): i32 {
  switch (tagOf(coll)) {
    case TAG_ARRAY:
      return <i32>arrLen(coll);
    case TAG_OBJECT:
    case TAG_SET:
      return <i32>collCount(coll);
    case TAG_STRING:
      return <i32>strLen(coll);
  }
  return 0;
}

export function rt_key_at(coll: usize, i: u32): usize {
  if (tagOf(coll) == TAG_ARRAY) return numberValue(<f64>i);
  return sortedKey(coll, i);
}

export function rt_value_at(coll: usize, i: u32): usize {
  if (tagOf(coll) == TAG_ARRAY) return arrGet(coll, i);
  return sortedVal(coll, i);
}

export function rt_truthy(v: usize): i32 {
  // Everything but undefined and `false`.
  return v != 0 && (tagOf(v) != TAG_BOOL || boolOf(v)) ? 1 : 0;
}

export function rt_number_value(v: usize): f64 {
  return tagOf(v) == TAG_NUMBER ? numberOf(v) : 0;
}

export function rt_is_integer(v: usize): i32 {
  return tagOf(v) == TAG_NUMBER && isIntegral(numberOf(v)) ? 1 : 0;
}

export function rt_compare(a: usize, b: usize): i32 {
  return compareValues(a, b);
}

export function rt_equal(a: usize, b: usize): i32 {
  return valuesEqual(a, b) ? 1 : 0;
}

export function rt_hash(v: usize): u32 {
  return hashValue(v);
}

/** Copy of an object (or set) with the same entries; later inserts leave the original alone. */
function shallowCopy(v: usize): usize {
  const out = tagOf(v) == TAG_SET ? setValue() : objectValue();
  const n = collCount(v);
  for (let i: u32 = 0; i < n; i++) objSet(out, sortedKey(v, i), sortedVal(v, i));
  return out;
}

/**
 * `base` with the value at `path` (an array of keys) replaced by `v`, copying the objects
 * along the path and leaving `base` unchanged (what `with input.a.b as v` needs). Missing
 * or non-object steps become objects. An empty path gives `v`.
 */
export function rt_patch(base: usize, path: usize, v: usize): usize {
  if (tagOf(path) != TAG_ARRAY) return 0;
  const n = arrLen(path);
  if (n == 0) return v;
  const root = tagOf(base) == TAG_OBJECT ? shallowCopy(base) : objectValue();
  let cur = root;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrGet(path, i);
    const old = objGet(cur, k);
    const next = tagOf(old) == TAG_OBJECT ? shallowCopy(old) : objectValue();
    objSet(cur, k, next);
    cur = next;
  }
  objSet(cur, arrGet(path, n - 1), v);
  return root;
}

export function rt_string_concat(a: usize, b: usize): usize {
  return concatStrings(a, b);
}

export function rt_last_error(): usize {
  return lastErrorC();
}

/**
 * Extension export for hosts: records the error of a builtin the host serves, so a module
 * built with --strict aborts with the call's Rego location, as for native builtins.
 */
export function ccpol_builtin_error(text: usize, isTypeError: i32): void {
  failFromHost(text, isTypeError != 0);
}

export function rt_last_error_coded(): usize {
  return lastErrorCodedC();
}

export function rt_clear_error(): void {
  clearError();
}

export function rt_abort(msg: usize): void {
  opa_abort(msg);
  unreachable();
}

export function rt_println(msg: usize): void {
  opa_println(msg);
}

export function rt_dump(v: usize): usize {
  return dumpC(v, MODE_JSON);
}

export function rt_call_builtin0(id: i32, ctx: usize): usize {
  return opa_builtin0(id, ctx);
}

export function rt_call_builtin1(id: i32, ctx: usize, a: usize): usize {
  return opa_builtin1(id, ctx, a);
}

export function rt_call_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize {
  return opa_builtin2(id, ctx, a, b);
}

export function rt_call_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize {
  return opa_builtin3(id, ctx, a, b, c);
}

export function rt_call_builtin4(
  id: i32,
  ctx: usize,
  a: usize,
  b: usize,
  c: usize,
  d: usize,
): usize {
  return opa_builtin4(id, ctx, a, b, c, d);
}
