// Builtins implemented natively: comparison, arithmetic, aggregates, collections and
// encodings. Strings are in strings.ts. Each export is `rt_builtin_<OPA name, . as _>`;
// an error returns 0 (undefined) and records a message (errors.ts). Semantics follow OPA's
// builtin reference; src/wasm/runtime/builtins.ts lists these for the planner.
import { fail } from "./errors";
import { MODE_JSON, dumpValue, parseText } from "./json";
import { alloc } from "./mem";
import { setGoEscapes, wFinishString, writerNew } from "./text";
import {
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
  arrData,
  arrGet,
  arrLen,
  arrPush,
  arrayValue,
  boolOf,
  boolValue,
  collCount,
  collFind,
  compareValues,
  isIntegral,
  literal,
  numberOf,
  numberValue,
  objGet,
  objSet,
  objectValue,
  setAdd,
  setValue,
  sortPointers,
  sortedKey,
  sortedVal,
  stringValue,
  strLen,
  strPtr,
  tagOf,
  valuesEqual,
  entryAt,
  hasEntryKey,
  setAddAll,
  setAddEntry,
  setElementAt,
} from "./value";
import { countCodePoints } from "./text";

export * from "./strings";

function bothNumbers(a: usize, b: usize): bool {
  return tagOf(a) == TAG_NUMBER && tagOf(b) == TAG_NUMBER;
}

function isColl(v: usize): bool {
  const t = tagOf(v);
  return t == TAG_ARRAY || t == TAG_SET;
}

/** Element i of an array or (in order) of a set. */
function elemAt(v: usize, i: u32): usize {
  return tagOf(v) == TAG_ARRAY ? arrGet(v, i) : sortedKey(v, i);
}

function elemCount(v: usize): u32 {
  return tagOf(v) == TAG_ARRAY ? arrLen(v) : collCount(v);
}

// ---------------------------------------------------------------- comparison

export function rt_builtin_equal(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(valuesEqual(a, b));
}

export function rt_builtin_neq(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(!valuesEqual(a, b));
}

export function rt_builtin_lt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(compareValues(a, b) < 0);
}

export function rt_builtin_lte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(compareValues(a, b) <= 0);
}

export function rt_builtin_gt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(compareValues(a, b) > 0);
}

export function rt_builtin_gte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return boolValue(compareValues(a, b) >= 0);
}

// ---------------------------------------------------------------- arithmetic

/**
 * OPA's numbers are unbounded; a double that overflows has no faithful answer, so the
 * result is an error (undefined), as in the reference evaluator (docs/decisions.md D23).
 */
function finite(name: string, d: f64): usize {
  if (!isFinite(d)) return fail(name, "arithmetic overflow");
  return numberValue(d);
}

export function rt_builtin_plus(a: usize, b: usize): usize {
  if (!bothNumbers(a, b)) return fail("plus", "operands must be numbers");
  return finite("plus", numberOf(a) + numberOf(b));
}

export function rt_builtin_minus(a: usize, b: usize): usize {
  if (bothNumbers(a, b)) return finite("minus", numberOf(a) - numberOf(b));
  if (tagOf(a) == TAG_SET && tagOf(b) == TAG_SET) {
    if (collCount(b) == 0) return a;
    const out = setValue();
    const n = collCount(a);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(a, i);
      if (!hasEntryKey(b, e)) setAddEntry(out, e);
    }
    return out;
  }
  return fail("minus", "operands must be numbers or sets");
}

export function rt_builtin_mul(a: usize, b: usize): usize {
  if (!bothNumbers(a, b)) return fail("mul", "operands must be numbers");
  return finite("mul", numberOf(a) * numberOf(b));
}

export function rt_builtin_div(a: usize, b: usize): usize {
  if (!bothNumbers(a, b)) return fail("div", "operands must be numbers");
  if (numberOf(b) == 0) return fail("div", "divide by zero");
  return finite("div", numberOf(a) / numberOf(b));
}

export function rt_builtin_rem(a: usize, b: usize): usize {
  if (!bothNumbers(a, b)) return fail("rem", "operands must be numbers");
  const x = numberOf(a);
  const y = numberOf(b);
  if (!isIntegral(x) || !isIntegral(y)) return fail("rem", "modulo on floating-point number");
  if (y == 0) return fail("rem", "modulo by zero");
  return numberValue(x % y);
}

export function rt_builtin_abs(a: usize): usize {
  if (tagOf(a) != TAG_NUMBER) return fail("abs", "operand must be a number");
  return numberValue(Math.abs(numberOf(a)));
}

export function rt_builtin_ceil(a: usize): usize {
  if (tagOf(a) != TAG_NUMBER) return fail("ceil", "operand must be a number");
  return numberValue(Math.ceil(numberOf(a)));
}

export function rt_builtin_floor(a: usize): usize {
  if (tagOf(a) != TAG_NUMBER) return fail("floor", "operand must be a number");
  return numberValue(Math.floor(numberOf(a)));
}

/** Rounds half away from zero (Go's math.Round), unlike JavaScript's Math.round. */
export function rt_builtin_round(a: usize): usize {
  if (tagOf(a) != TAG_NUMBER) return fail("round", "operand must be a number");
  const d = numberOf(a);
  const t = Math.trunc(d);
  if (Math.abs(d - t) >= 0.5) return numberValue(t + (d < 0 ? -1.0 : 1.0));
  return numberValue(t);
}

// ---------------------------------------------------------------- aggregates

export function rt_builtin_count(a: usize): usize {
  const t = tagOf(a);
  if (t == TAG_STRING) return numberValue(<f64>countCodePoints(strPtr(a), strLen(a)));
  if (t == TAG_ARRAY) return numberValue(<f64>arrLen(a));
  if (t == TAG_OBJECT || t == TAG_SET) return numberValue(<f64>collCount(a));
  return fail("count", "operand must be one of: string, array, object, set");
}

export function rt_builtin_sum(a: usize): usize {
  if (!isColl(a)) return fail("sum", "operand must be an array or a set of numbers");
  let s: f64 = 0;
  const n = elemCount(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = elemAt(a, i);
    if (tagOf(x) != TAG_NUMBER) return fail("sum", "operand must be an array or a set of numbers");
    s += numberOf(x);
  }
  return finite("sum", s);
}

export function rt_builtin_product(a: usize): usize {
  if (!isColl(a)) return fail("product", "operand must be an array or a set of numbers");
  let s: f64 = 1;
  const n = elemCount(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = elemAt(a, i);
    if (tagOf(x) != TAG_NUMBER) {
      return fail("product", "operand must be an array or a set of numbers");
    }
    s *= numberOf(x);
  }
  return finite("product", s);
}

function extreme(a: usize, sign: i32): usize {
  const n = elemCount(a);
  if (n == 0) return 0;
  let best = elemAt(a, 0);
  for (let i: u32 = 1; i < n; i++) {
    const x = elemAt(a, i);
    if (compareValues(x, best) * sign > 0) best = x;
  }
  return best;
}

export function rt_builtin_max(a: usize): usize {
  if (!isColl(a)) return fail("max", "operand must be an array or a set");
  return extreme(a, 1);
}

export function rt_builtin_min(a: usize): usize {
  if (!isColl(a)) return fail("min", "operand must be an array or a set");
  return extreme(a, -1);
}

export function rt_builtin_sort(a: usize): usize {
  if (!isColl(a)) return fail("sort", "operand must be an array or a set");
  const n = elemCount(a);
  const out = arrayValue(n);
  for (let i: u32 = 0; i < n; i++) arrPush(out, elemAt(a, i));
  if (tagOf(a) == TAG_ARRAY) sortPointers(arrData(out), n, false);
  return out;
}

// ---------------------------------------------------------------- types

export function rt_builtin_is_number(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_NUMBER);
}

export function rt_builtin_is_string(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_STRING);
}

export function rt_builtin_is_boolean(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_BOOL);
}

export function rt_builtin_is_array(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_ARRAY);
}

export function rt_builtin_is_set(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_SET);
}

export function rt_builtin_is_object(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_OBJECT);
}

export function rt_builtin_is_null(a: usize): usize {
  return a == 0 ? 0 : boolValue(tagOf(a) == TAG_NULL);
}

export function rt_builtin_type_name(a: usize): usize {
  switch (tagOf(a)) {
    case TAG_NULL:
      return literal("null");
    case TAG_BOOL:
      return literal("boolean");
    case TAG_NUMBER:
      return literal("number");
    case TAG_STRING:
      return literal("string");
    case TAG_ARRAY:
      return literal("array");
    case TAG_OBJECT:
      return literal("object");
    case TAG_SET:
      return literal("set");
  }
  return 0;
}

// ---------------------------------------------------------------- objects

/** Looks up one step of a path: array by integral index, object by key, set by member. */
function step(coll: usize, key: usize): usize {
  const t = tagOf(coll);
  if (t == TAG_OBJECT) return objGet(coll, key);
  if (t == TAG_SET) {
    const e = collFind(coll, key);
    return e == 0 ? 0 : <usize>load<u32>(e);
  }
  if (t == TAG_ARRAY && tagOf(key) == TAG_NUMBER) {
    const d = numberOf(key);
    if (isIntegral(d) && d >= 0 && d < <f64>arrLen(coll)) return arrGet(coll, <u32>d);
  }
  return 0;
}

export function rt_builtin_object_get(obj: usize, key: usize, dflt: usize): usize {
  if (tagOf(obj) != TAG_OBJECT) return fail("object.get", "operand 1 must be an object");
  if (key == 0 || dflt == 0) return 0;
  if (tagOf(key) != TAG_ARRAY) {
    const v = objGet(obj, key);
    return v == 0 ? dflt : v;
  }
  let cur = obj;
  const n = arrLen(key);
  for (let i: u32 = 0; i < n && cur != 0; i++) cur = step(cur, arrGet(key, i));
  return cur == 0 ? dflt : cur;
}

export function rt_builtin_object_keys(obj: usize): usize {
  if (tagOf(obj) != TAG_OBJECT) return fail("object.keys", "operand 1 must be an object");
  const out = setValue();
  const n = collCount(obj);
  for (let i: u32 = 0; i < n; i++) setAdd(out, sortedKey(obj, i));
  return out;
}

function mergeObjects(a: usize, b: usize): usize {
  const out = objectValue();
  const na = collCount(a);
  for (let i: u32 = 0; i < na; i++) objSet(out, sortedKey(a, i), sortedVal(a, i));
  const nb = collCount(b);
  for (let i: u32 = 0; i < nb; i++) {
    const k = sortedKey(b, i);
    const vb = sortedVal(b, i);
    const va = objGet(a, k);
    if (tagOf(va) == TAG_OBJECT && tagOf(vb) == TAG_OBJECT) objSet(out, k, mergeObjects(va, vb));
    else objSet(out, k, vb);
  }
  return out;
}

export function rt_builtin_object_union(a: usize, b: usize): usize {
  if (tagOf(a) != TAG_OBJECT) return fail("object.union", "operand 1 must be an object");
  if (tagOf(b) != TAG_OBJECT) return fail("object.union", "operand 2 must be an object");
  return mergeObjects(a, b);
}

/** Keys given as an array, a set or an object's keys, collected into a set. */
function keySet(name: string, keys: usize): usize {
  const t = tagOf(keys);
  if (t == TAG_SET) return keys;
  if (t != TAG_ARRAY && t != TAG_OBJECT) {
    return fail(name, "operand 2 must be one of: object, array, set");
  }
  const out = setValue();
  const n = t == TAG_ARRAY ? arrLen(keys) : collCount(keys);
  for (let i: u32 = 0; i < n; i++)
    setAdd(out, t == TAG_ARRAY ? arrGet(keys, i) : sortedKey(keys, i));
  return out;
}

function filterObject(name: string, obj: usize, keys: usize, keep: bool): usize {
  if (tagOf(obj) != TAG_OBJECT) return fail(name, "operand 1 must be an object");
  const ks = keySet(name, keys);
  if (ks == 0) return 0;
  const out = objectValue();
  const n = collCount(obj);
  for (let i: u32 = 0; i < n; i++) {
    const k = sortedKey(obj, i);
    if ((collFind(ks, k) != 0) == keep) objSet(out, k, sortedVal(obj, i));
  }
  return out;
}

export function rt_builtin_object_remove(obj: usize, keys: usize): usize {
  return filterObject("object.remove", obj, keys, false);
}

export function rt_builtin_object_filter(obj: usize, keys: usize): usize {
  return filterObject("object.filter", obj, keys, true);
}

// ---------------------------------------------------------------- arrays

export function rt_builtin_array_concat(a: usize, b: usize): usize {
  if (tagOf(a) != TAG_ARRAY) return fail("array.concat", "operand 1 must be an array");
  if (tagOf(b) != TAG_ARRAY) return fail("array.concat", "operand 2 must be an array");
  const na = arrLen(a);
  const nb = arrLen(b);
  const out = arrayValue(na + nb);
  for (let i: u32 = 0; i < na; i++) arrPush(out, arrGet(a, i));
  for (let i: u32 = 0; i < nb; i++) arrPush(out, arrGet(b, i));
  return out;
}

export function rt_builtin_array_slice(a: usize, start: usize, stop: usize): usize {
  if (tagOf(a) != TAG_ARRAY) return fail("array.slice", "operand 1 must be an array");
  if (tagOf(start) != TAG_NUMBER || !isIntegral(numberOf(start))) {
    return fail("array.slice", "operand 2 must be an integer");
  }
  if (tagOf(stop) != TAG_NUMBER || !isIntegral(numberOf(stop))) {
    return fail("array.slice", "operand 3 must be an integer");
  }
  const n = <f64>arrLen(a);
  let s = numberOf(start);
  let e = numberOf(stop);
  if (s < 0) s = 0;
  if (e > n) e = n;
  const out = arrayValue(0);
  for (let i = s; i < e; i++) arrPush(out, arrGet(a, <u32>i));
  return out;
}

export function rt_builtin_array_reverse(a: usize): usize {
  if (tagOf(a) != TAG_ARRAY) return fail("array.reverse", "operand 1 must be an array");
  const n = arrLen(a);
  const out = arrayValue(n);
  for (let i = n; i > 0; i--) arrPush(out, arrGet(a, i - 1));
  return out;
}

// ---------------------------------------------------------------- sets

export function rt_builtin_and(a: usize, b: usize): usize {
  if (tagOf(a) != TAG_SET || tagOf(b) != TAG_SET) return fail("and", "operands must be sets");
  const out = setValue();
  const n = collCount(a);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(a, i);
    if (hasEntryKey(b, e)) setAddEntry(out, e);
  }
  return out;
}

export function rt_builtin_or(a: usize, b: usize): usize {
  if (tagOf(a) != TAG_SET || tagOf(b) != TAG_SET) return fail("or", "operands must be sets");
  // Values are never changed once built, so an operand can be the result.
  if (collCount(b) == 0) return a;
  if (collCount(a) == 0) return b;
  const out = setValue();
  setAddAll(out, a);
  setAddAll(out, b);
  return out;
}

function allSets(name: string, a: usize): bool {
  if (tagOf(a) != TAG_SET) {
    fail(name, "operand 1 must be a set of sets");
    return false;
  }
  const n = collCount(a);
  for (let i: u32 = 0; i < n; i++) {
    if (tagOf(sortedKey(a, i)) != TAG_SET) {
      fail(name, "operand 1 must be a set of sets");
      return false;
    }
  }
  return true;
}

export function rt_builtin_union(a: usize): usize {
  if (!allSets("union", a)) return 0;
  const out = setValue();
  const n = collCount(a);
  for (let i: u32 = 0; i < n; i++) setAddAll(out, setElementAt(a, i));
  return out;
}

export function rt_builtin_intersection(a: usize): usize {
  if (!allSets("intersection", a)) return 0;
  const n = collCount(a);
  if (n == 0) return setValue();
  let acc = sortedKey(a, 0);
  for (let i: u32 = 1; i < n; i++) acc = rt_builtin_and(acc, sortedKey(a, i));
  return acc;
}

// ---------------------------------------------------------------- membership

/** `x in coll`: an array element, a set member or an object value. */
export function rt_builtin_internal_member_2(x: usize, coll: usize): usize {
  if (x == 0 || coll == 0) return 0;
  const t = tagOf(coll);
  if (t == TAG_SET) return boolValue(inline.always(collFind(coll, x)) != 0);
  if (t == TAG_ARRAY) {
    const n = arrLen(coll);
    for (let i: u32 = 0; i < n; i++) if (valuesEqual(arrGet(coll, i), x)) return boolValue(true);
    return boolValue(false);
  }
  if (t == TAG_OBJECT) {
    const n = collCount(coll);
    for (let i: u32 = 0; i < n; i++) if (valuesEqual(sortedVal(coll, i), x)) return boolValue(true);
    return boolValue(false);
  }
  return boolValue(false);
}

/** `k, v in coll`: coll[k] == v (array index, object key; for a set, k == v == a member). */
export function rt_builtin_internal_member_3(k: usize, v: usize, coll: usize): usize {
  if (k == 0 || v == 0 || coll == 0) return 0;
  const t = tagOf(coll);
  if (t != TAG_ARRAY && t != TAG_OBJECT && t != TAG_SET) return boolValue(false);
  const found = step(coll, k);
  return boolValue(found != 0 && valuesEqual(found, v));
}

// ---------------------------------------------------------------- walk

function walkInto(out: usize, path: usize, v: usize): void {
  const pair = arrayValue(2);
  arrPush(pair, path);
  arrPush(pair, v);
  arrPush(out, pair);
  const t = tagOf(v);
  if (t != TAG_ARRAY && t != TAG_OBJECT && t != TAG_SET) return;
  const n = t == TAG_ARRAY ? arrLen(v) : collCount(v);
  const plen = arrLen(path);
  for (let i: u32 = 0; i < n; i++) {
    const key = t == TAG_ARRAY ? numberValue(<f64>i) : sortedKey(v, i);
    const child = t == TAG_ARRAY ? arrGet(v, i) : sortedVal(v, i);
    const p = arrayValue(plen + 1);
    for (let j: u32 = 0; j < plen; j++) arrPush(p, arrGet(path, j));
    arrPush(p, key);
    walkInto(out, p, child);
  }
}

/** Relation: every [path, value] pair of x, pre-order, children in value order. */
export function rt_builtin_walk(x: usize): usize {
  if (x == 0) return 0;
  const out = arrayValue(8);
  walkInto(out, arrayValue(0), x);
  return out;
}

// ---------------------------------------------------------------- numbers.range

export function rt_builtin_numbers_range(a: usize, b: usize): usize {
  if (tagOf(a) != TAG_NUMBER || !isIntegral(numberOf(a))) {
    return fail("numbers.range", "operand 1 must be an integer");
  }
  if (tagOf(b) != TAG_NUMBER || !isIntegral(numberOf(b))) {
    return fail("numbers.range", "operand 2 must be an integer");
  }
  const x = numberOf(a);
  const y = numberOf(b);
  const n = Math.abs(y - x) + 1;
  if (n > 100000000) return fail("numbers.range", "range too large");
  const out = arrayValue(<u32>n);
  const dir = y >= x ? 1.0 : -1.0;
  for (let i: f64 = 0; i < n; i++) arrPush(out, numberValue(x + i * dir));
  return out;
}

// ---------------------------------------------------------------- JSON

export function rt_builtin_json_marshal(x: usize): usize {
  if (x == 0) return 0;
  const w = writerNew(64);
  setGoEscapes(true);
  dumpValue(w, x, MODE_JSON);
  setGoEscapes(false);
  return wFinishString(w);
}

export function rt_builtin_json_unmarshal(s: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("json.unmarshal", "operand 1 must be a string");
  const v = parseText(strPtr(s), strLen(s), false);
  if (v == 0) return fail("json.unmarshal", "invalid JSON");
  return v;
}

// ---------------------------------------------------------------- base64

const B64 = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88,
  89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114,
  115, 116, 117, 118, 119, 120, 121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

export function rt_builtin_base64_encode(s: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("base64.encode", "operand 1 must be a string");
  const n = strLen(s);
  const p = strPtr(s);
  const outLen = ((n + 2) / 3) * 4;
  const out = alloc(<usize>outLen);
  let o: usize = out;
  for (let i: u32 = 0; i < n; i += 3) {
    const b0 = <u32>load<u8>(p + i);
    const b1 = i + 1 < n ? <u32>load<u8>(p + i + 1) : 0;
    const b2 = i + 2 < n ? <u32>load<u8>(p + i + 2) : 0;
    const t = (b0 << 16) | (b1 << 8) | b2;
    store<u8>(o, load<u8>(B64 + (t >> 18)));
    store<u8>(o + 1, load<u8>(B64 + ((t >> 12) & 63)));
    store<u8>(o + 2, i + 1 < n ? load<u8>(B64 + ((t >> 6) & 63)) : 61);
    store<u8>(o + 3, i + 2 < n ? load<u8>(B64 + (t & 63)) : 61);
    o += 4;
  }
  return stringValue(out, outLen);
}

function b64Val(c: u32): i32 {
  if (c >= 65 && c <= 90) return <i32>(c - 65);
  if (c >= 97 && c <= 122) return <i32>(c - 71);
  if (c >= 48 && c <= 57) return <i32>(c + 4);
  if (c == 43) return 62;
  if (c == 47) return 63;
  return -1;
}

/** Standard alphabet with padding, as Go's base64.StdEncoding (line breaks ignored). */
export function rt_builtin_base64_decode(s: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("base64.decode", "operand 1 must be a string");
  const n = strLen(s);
  const p = strPtr(s);
  const out = alloc(<usize>(n / 4) * 3 + 3);
  let o: u32 = 0;
  let acc: u32 = 0;
  let bits: u32 = 0;
  let chars: u32 = 0;
  let pad: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 10 || c == 13) continue;
    if (c == 61) {
      pad++;
      chars++;
      continue;
    }
    const v = b64Val(c);
    if (v < 0 || pad > 0) return fail("base64.decode", "illegal base64 data");
    acc = (acc << 6) | (<u32>v);
    bits += 6;
    chars++;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(out + o, <u8>(acc >> bits));
      o++;
    }
  }
  if (chars % 4 != 0 || pad > 2) return fail("base64.decode", "illegal base64 data");
  // Leftover bits must be zero (Go rejects non-canonical trailing bits only in strict mode).
  return stringValue(out, o);
}

function isDigitByte(c: u32): bool {
  return c >= 48 && c <= 57;
}

/**
 * Rewrites Go-style number text (`[+-]?(d+.?d*|.d+)([eE][+-]?d+)?`: leading zeros, `.5`,
 * `5.`, a `+` sign) as JSON number text; returns its length, or 0 if the text is not a number.
 */
function normalizeNumber(p: usize, n: u32, out: usize): u32 {
  let i: u32 = 0;
  let o: u32 = 0;
  if (i < n && (load<u8>(p) == 43 || load<u8>(p) == 45)) {
    if (load<u8>(p) == 45) store<u8>(out + o++, 45);
    i++;
  }
  const intStart = i;
  while (i < n && load<u8>(p + i) == 48) i++;
  const sigStart = i;
  while (i < n && isDigitByte(load<u8>(p + i))) i++;
  const intDigits = i - intStart;
  if (i > sigStart) {
    memory.copy(out + o, p + sigStart, i - sigStart);
    o += i - sigStart;
  } else {
    store<u8>(out + o++, 48);
  }
  let fracDigits: u32 = 0;
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    const fracStart = i;
    while (i < n && isDigitByte(load<u8>(p + i))) i++;
    fracDigits = i - fracStart;
    if (fracDigits > 0) {
      store<u8>(out + o++, 46);
      memory.copy(out + o, p + fracStart, fracDigits);
      o += fracDigits;
    }
  }
  if (intDigits == 0 && fracDigits == 0) return 0;
  if (i < n && (load<u8>(p + i) | 32) == 101) {
    store<u8>(out + o++, load<u8>(p + i));
    i++;
    if (i < n && (load<u8>(p + i) == 43 || load<u8>(p + i) == 45))
      store<u8>(out + o++, load<u8>(p + i++));
    const expStart = i;
    while (i < n && isDigitByte(load<u8>(p + i))) store<u8>(out + o++, load<u8>(p + i++));
    if (i == expStart) return 0;
  }
  return i == n ? o : 0;
}

export function rt_builtin_to_number(x: usize): usize {
  const t = tagOf(x);
  if (t == TAG_NUMBER) return x;
  if (t == TAG_NULL) return numberValue(0);
  if (t == TAG_BOOL) return numberValue(boolOf(x) ? 1 : 0);
  if (t != TAG_STRING)
    return fail("to_number", "operand 1 must be one of: null, boolean, number, string");
  const buf = alloc(<usize>strLen(x) + 2);
  const len = normalizeNumber(strPtr(x), strLen(x), buf);
  const v = len == 0 ? 0 : parseText(buf, len, false);
  if (tagOf(v) != TAG_NUMBER) return fail("to_number", "invalid syntax");
  // -0 reads back as 0, as the reference evaluator's does.
  return numberOf(v) == 0 ? numberValue(0) : v;
}
