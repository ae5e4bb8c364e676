// String builtins. Strings are UTF-8; lengths and indexes are in code points, as in OPA.
// Results may share bytes with their inputs: values are immutable.
import { digitsCount, digitsPtr, loadIntegral } from "./digits";
import { fail } from "./errors";
import { casemap } from "~lib/util/casemap";
import { alloc } from "./mem";
import {
  cpLen,
  decodeCp,
  encodeCp,
  wByte,
  wBytes,
  wFinishString,
  wReserve,
  wAdvance,
  writerNew,
} from "./text";
import {
  TAG_ARRAY,
  TAG_NUMBER,
  TAG_SET,
  TAG_STRING,
  arrGet,
  arrLen,
  arrPush,
  arrayValue,
  boolValue,
  collCount,
  isIntegral,
  numberOf,
  numberValue,
  sortedKey,
  stringValue,
  strLen,
  strPtr,
  tagOf,
} from "./value";

function bothStrings(a: usize, b: usize): bool {
  return tagOf(a) == TAG_STRING && tagOf(b) == TAG_STRING;
}

/** Byte offset of needle in hay at or after `from`, or -1. */
function indexOfBytes(hay: usize, hn: u32, needle: usize, nn: u32, from: u32): i32 {
  if (nn == 0) return <i32>from;
  if (nn > hn) return -1;
  const first = load<u8>(needle);
  for (let i = from; i + nn <= hn; i++) {
    if (load<u8>(hay + i) == first && memory.compare(hay + i, needle, nn) == 0) return <i32>i;
  }
  return -1;
}

function sub(s: usize, from: u32, to: u32): usize {
  return stringValue(strPtr(s) + from, to - from);
}

export function rt_builtin_contains(a: usize, b: usize): usize {
  if (!bothStrings(a, b)) return fail("contains", "operands must be strings");
  return boolValue(indexOfBytes(strPtr(a), strLen(a), strPtr(b), strLen(b), 0) >= 0);
}

export function rt_builtin_startswith(a: usize, b: usize): usize {
  if (!bothStrings(a, b)) return fail("startswith", "operands must be strings");
  const n = strLen(b);
  return boolValue(n <= strLen(a) && memory.compare(strPtr(a), strPtr(b), n) == 0);
}

export function rt_builtin_endswith(a: usize, b: usize): usize {
  if (!bothStrings(a, b)) return fail("endswith", "operands must be strings");
  const n = strLen(b);
  const la = strLen(a);
  return boolValue(n <= la && memory.compare(strPtr(a) + la - n, strPtr(b), n) == 0);
}

export function rt_builtin_indexof(a: usize, b: usize): usize {
  if (!bothStrings(a, b)) return fail("indexof", "operands must be strings");
  // OPA rejects an empty search string.
  if (strLen(b) == 0) return fail("indexof", "empty search character");
  const i = indexOfBytes(strPtr(a), strLen(a), strPtr(b), strLen(b), 0);
  if (i < 0) return numberValue(-1);
  let cps: u32 = 0;
  const p = strPtr(a);
  for (let j: u32 = 0; j < <u32>i; j++) if ((load<u8>(p + j) & 0xc0) != 0x80) cps++;
  return numberValue(<f64>cps);
}

/** Byte offset of code point number `cp` (or the byte length when past the end). */
function cpOffset(p: usize, n: u32, cp: f64): u32 {
  let off: u32 = 0;
  let k: f64 = 0;
  while (off < n && k < cp) {
    off += cpLen(p + off);
    k++;
  }
  return off < n ? off : n;
}

export function rt_builtin_substring(s: usize, start: usize, length: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("substring", "operand 1 must be a string");
  if (tagOf(start) != TAG_NUMBER || !isIntegral(numberOf(start))) {
    return fail("substring", "operand 2 must be an integer");
  }
  if (tagOf(length) != TAG_NUMBER || !isIntegral(numberOf(length))) {
    return fail("substring", "operand 3 must be an integer");
  }
  const st = numberOf(start);
  if (st < 0) return fail("substring", "negative offset");
  const p = strPtr(s);
  const n = strLen(s);
  const from = cpOffset(p, n, st);
  const len = numberOf(length);
  if (len < 0) return sub(s, from, n);
  const to = from + cpOffset(p + from, n - from, len);
  return sub(s, from, to);
}

export function rt_builtin_concat(delim: usize, coll: usize): usize {
  if (tagOf(delim) != TAG_STRING) return fail("concat", "operand 1 must be a string");
  const t = tagOf(coll);
  if (t != TAG_ARRAY && t != TAG_SET)
    return fail("concat", "operand 2 must be an array or a set of strings");
  const n = t == TAG_ARRAY ? arrLen(coll) : collCount(coll);
  const w = writerNew(64);
  for (let i: u32 = 0; i < n; i++) {
    const x = t == TAG_ARRAY ? arrGet(coll, i) : sortedKey(coll, i);
    if (tagOf(x) != TAG_STRING)
      return fail("concat", "operand 2 must be an array or a set of strings");
    if (i > 0) wBytes(w, strPtr(delim), strLen(delim));
    wBytes(w, strPtr(x), strLen(x));
  }
  return wFinishString(w);
}

export function rt_builtin_split(s: usize, delim: usize): usize {
  if (!bothStrings(s, delim)) return fail("split", "operands must be strings");
  const p = strPtr(s);
  const n = strLen(s);
  const dn = strLen(delim);
  const out = arrayValue(4);
  if (dn == 0) {
    // Go's strings.Split with an empty separator splits after each code point.
    let off: u32 = 0;
    while (off < n) {
      const l = cpLen(p + off);
      const end = off + l < n ? off + l : n;
      arrPush(out, sub(s, off, end));
      off = end;
    }
    return out;
  }
  let from: u32 = 0;
  while (true) {
    const i = indexOfBytes(p, n, strPtr(delim), dn, from);
    if (i < 0) break;
    arrPush(out, sub(s, from, <u32>i));
    from = <u32>i + dn;
  }
  arrPush(out, sub(s, from, n));
  return out;
}

export function rt_builtin_replace(s: usize, old: usize, nw: usize): usize {
  if (tagOf(s) != TAG_STRING || !bothStrings(old, nw)) {
    return fail("replace", "operands must be strings");
  }
  const p = strPtr(s);
  const n = strLen(s);
  const on = strLen(old);
  const w = writerNew(n + 16);
  if (on == 0) {
    // Go inserts the replacement before every code point and at the end.
    let off: u32 = 0;
    while (off < n) {
      wBytes(w, strPtr(nw), strLen(nw));
      const l = cpLen(p + off);
      const end = off + l < n ? off + l : n;
      wBytes(w, p + off, end - off);
      off = end;
    }
    wBytes(w, strPtr(nw), strLen(nw));
    return wFinishString(w);
  }
  let from: u32 = 0;
  while (true) {
    const i = indexOfBytes(p, n, strPtr(old), on, from);
    if (i < 0) break;
    wBytes(w, p + from, <u32>i - from);
    wBytes(w, strPtr(nw), strLen(nw));
    from = <u32>i + on;
  }
  wBytes(w, p + from, n - from);
  return wFinishString(w);
}

export function rt_builtin_strings_reverse(s: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("strings.reverse", "operand 1 must be a string");
  const p = strPtr(s);
  const n = strLen(s);
  const out = alloc(<usize>n);
  let off: u32 = 0;
  while (off < n) {
    let l = cpLen(p + off);
    if (off + l > n) l = n - off;
    memory.copy(out + n - off - l, p + off, l);
    off += l;
  }
  return stringValue(out, n);
}

// ---------------------------------------------------------------- case

/**
 * Simple (one code point to one code point) case mapping, as Go's unicode.ToLower/ToUpper
 * which OPA uses: no special casing, so "ß" stays "ß". AssemblyScript's musl-derived table
 * covers everything below U+20000 except the circled letters, handled here.
 */
function mapCase(cp: u32, upper: bool): u32 {
  if (cp < 0x80) {
    if (upper) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp;
    return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  }
  const added = unicode14Pair(cp, upper);
  if (added != 0) return added;
  if (!upper && cp >= 0x24b6 && cp <= 0x24cf) return cp + 26;
  if (upper && cp >= 0x24d0 && cp <= 0x24e9) return cp - 26;
  // U+1E9E lowercases to ß, but ß has no simple uppercase (the table pairs them).
  if (cp >= 0x20000 || (upper && cp == 0xdf)) return cp;
  return (<u32>casemap(cp, upper ? 1 : 0)) & 0x1fffff;
}

/** Vithkuqi capitals: U+10570-1057A, 1057C-1058A, 1058C-10592, 10594-10595. */
function isVithkuqiUpper(cp: u32): bool {
  return cp >= 0x10570 && cp <= 0x10595 && cp != 0x1057b && cp != 0x1058b && cp != 0x10593;
}

/**
 * Case pairs added in Unicode 14, which Go's tables (Unicode 15) have and AssemblyScript's
 * do not: Glagolitic U+2C2F, four Latin pairs at U+A7C0-A7D9 and the Vithkuqi script.
 * Returns the mapping, or 0 when cp is none of them.
 */
function unicode14Pair(cp: u32, upper: bool): u32 {
  if (cp < 0x2c2f) return 0;
  if (upper) {
    if (cp == 0x2c5f) return 0x2c2f;
    if (cp == 0xa7c1 || cp == 0xa7d1 || cp == 0xa7d7 || cp == 0xa7d9) return cp - 1;
    if (isVithkuqiUpper(cp - 0x27)) return cp - 0x27;
    return 0;
  }
  if (cp == 0x2c2f) return 0x2c5f;
  if (cp == 0xa7c0 || cp == 0xa7d0 || cp == 0xa7d6 || cp == 0xa7d8) return cp + 1;
  if (isVithkuqiUpper(cp)) return cp + 0x27;
  return 0;
}

function convertCase(name: string, s: usize, upper: bool): usize {
  if (tagOf(s) != TAG_STRING) return fail(name, "operand 1 must be a string");
  const p = strPtr(s);
  const n = strLen(s);
  const w = writerNew(n + 8);
  let off: u32 = 0;
  while (off < n) {
    const l = cpLen(p + off);
    if (l == 1 || off + l > n) {
      wByte(w, l == 1 ? mapCase(load<u8>(p + off), upper) : load<u8>(p + off));
      off++;
      continue;
    }
    const at = wReserve(w, 4);
    wAdvance(w, encodeCp(at, mapCase(decodeCp(p + off), upper)));
    off += l;
  }
  return wFinishString(w);
}

export function rt_builtin_lower(s: usize): usize {
  return convertCase("lower", s, false);
}

export function rt_builtin_upper(s: usize): usize {
  return convertCase("upper", s, true);
}

// ---------------------------------------------------------------- trimming

function inCutset(cut: usize, cn: u32, cp: u32): bool {
  let off: u32 = 0;
  while (off < cn) {
    if (decodeCp(cut + off) == cp) return true;
    off += cpLen(cut + off);
  }
  return false;
}

function isSpaceCp(cp: u32): bool {
  if (cp == 32 || (cp >= 9 && cp <= 13) || cp == 0x85 || cp == 0xa0) return true;
  if (cp < 0x1680) return false;
  return (
    cp == 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp == 0x2028 ||
    cp == 0x2029 ||
    cp == 0x202f ||
    cp == 0x205f ||
    cp == 0x3000
  );
}

/** Start of a code point ending at byte `end` (exclusive). */
function prevCpStart(p: usize, end: u32): u32 {
  let i = end - 1;
  while (i > 0 && (load<u8>(p + i) & 0xc0) == 0x80) i--;
  return i;
}

// cut = 0 means "Unicode white space".
function trimBounds(s: usize, cut: usize, left: bool, right: bool): usize {
  const p = strPtr(s);
  const n = strLen(s);
  const cp = cut == 0 ? 0 : strPtr(cut);
  const cn = cut == 0 ? 0 : strLen(cut);
  let from: u32 = 0;
  let to = n;
  if (left) {
    while (from < to) {
      const c = decodeCp(p + from);
      if (cut == 0 ? !isSpaceCp(c) : !inCutset(cp, cn, c)) break;
      from += cpLen(p + from);
    }
  }
  if (right) {
    while (to > from) {
      const st = prevCpStart(p, to);
      const c = decodeCp(p + st);
      if (cut == 0 ? !isSpaceCp(c) : !inCutset(cp, cn, c)) break;
      to = st;
    }
  }
  return sub(s, from, to < from ? from : to);
}

export function rt_builtin_trim(s: usize, cut: usize): usize {
  if (!bothStrings(s, cut)) return fail("trim", "operands must be strings");
  return trimBounds(s, cut, true, true);
}

export function rt_builtin_trim_left(s: usize, cut: usize): usize {
  if (!bothStrings(s, cut)) return fail("trim_left", "operands must be strings");
  return trimBounds(s, cut, true, false);
}

export function rt_builtin_trim_right(s: usize, cut: usize): usize {
  if (!bothStrings(s, cut)) return fail("trim_right", "operands must be strings");
  return trimBounds(s, cut, false, true);
}

export function rt_builtin_trim_space(s: usize): usize {
  if (tagOf(s) != TAG_STRING) return fail("trim_space", "operand 1 must be a string");
  return trimBounds(s, 0, true, true);
}

export function rt_builtin_trim_prefix(s: usize, pre: usize): usize {
  if (!bothStrings(s, pre)) return fail("trim_prefix", "operands must be strings");
  const n = strLen(pre);
  if (n <= strLen(s) && memory.compare(strPtr(s), strPtr(pre), n) == 0) {
    return sub(s, n, strLen(s));
  }
  return s;
}

export function rt_builtin_trim_suffix(s: usize, suf: usize): usize {
  if (!bothStrings(s, suf)) return fail("trim_suffix", "operands must be strings");
  const n = strLen(suf);
  const ls = strLen(s);
  if (n <= ls && memory.compare(strPtr(s) + ls - n, strPtr(suf), n) == 0) return sub(s, 0, ls - n);
  return s;
}

// ---------------------------------------------------------------- format_int

export function rt_builtin_format_int(x: usize, base: usize): usize {
  if (tagOf(x) != TAG_NUMBER) return fail("format_int", "operand 1 must be a number");
  if (tagOf(base) != TAG_NUMBER) return fail("format_int", "operand 2 must be a number");
  const b = numberOf(base);
  if (b != 2 && b != 8 && b != 10 && b != 16) {
    return fail("format_int", "operand 2 must be one of {2, 8, 10, 16}");
  }
  const d = Math.trunc(numberOf(x));
  loadIntegral(d, <u32>b, false);
  const w = writerNew(<u32>digitsCount() + 1);
  if (d < 0) wByte(w, 45);
  wBytes(w, digitsPtr(), <u32>digitsCount());
  return wFinishString(w);
}

// ---------------------------------------------------------------- sprintf (Go fmt, sprintf.ts)

export { rt_builtin_sprintf } from "./sprintf";
