// JSON and Rego value text: parsing (any malformed input gives 0, never a trap; nesting is
// bounded so the Wasm stack cannot overflow) and dumping.
import { alloc } from "./mem";
import { MAX_SIG_DIGITS, decimalDigitsBuf, decimalToDouble } from "./numconv";
import {
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_SET,
  STRING_HEADER,
  TAG_STRING,
  arrLen,
  arrGet,
  arrPush,
  arrayValue,
  boolOf,
  boolValue,
  collCount,
  compareStrings,
  initString,
  nullValue,
  numberOf,
  numberValue,
  objSet,
  objectValue,
  setAdd,
  setValue,
  sortedKey,
  sortedVal,
  stringValue,
  strLen,
  strPtr,
  tagOf,
} from "./value";
import {
  encodeCp,
  utf8SeqLen,
  setGoEscapes,
  wByte,
  wFinishC,
  wFinishString,
  wLen,
  wBuf,
  wNumber,
  wQuoted,
  wStatic,
  writerNew,
} from "./text";

export const MAX_DEPTH: i32 = 1000;

let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;
let rego = false;

/** Parses JSON (or, with `regoSyntax`, Rego value syntax); 0 on any error. */
export function parseText(ptr: usize, len: u32, regoSyntax: bool): usize {
  pos = ptr;
  end = ptr + <usize>len;
  depth = 0;
  rego = regoSyntax;
  const v = parseValue();
  if (v == 0) return 0;
  skipWs();
  return pos == end ? v : 0;
}

// The hot loops below work on a local cursor: V8 keeps locals in registers, while every
// access to a Wasm global is a memory access.
function skipWs(): void {
  let p = pos;
  const e = end;
  while (p < e) {
    const c = load<u8>(p);
    if (c != 32 && c != 9 && c != 10 && c != 13) break;
    p++;
  }
  pos = p;
}

function peek(): u32 {
  return pos < end ? <u32>load<u8>(pos) : 0xffffffff;
}

function expectWord(s: string): bool {
  const n = <usize>s.length;
  if (end - pos < n) return false;
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(pos + i) != <u32>load<u16>(changetype<usize>(s) + (i << 1))) return false;
  }
  pos += n;
  return true;
}

function parseValue(): usize {
  skipWs();
  const c = peek();
  if (c == 123) return parseBrace();
  if (c == 91) return parseArray();
  if (c == 34) return parseString();
  if (c == 45 || (c >= 48 && c <= 57)) return parseNumber();
  if (c == 116) return expectWord("true") ? boolValue(true) : 0;
  if (c == 102) return expectWord("false") ? boolValue(false) : 0;
  if (c == 110) return expectWord("null") ? nullValue() : 0;
  if (c == 115 && rego) return expectWord("set()") ? setValue() : 0;
  return 0;
}

function enter(): bool {
  pos++;
  depth++;
  return depth <= MAX_DEPTH;
}

function parseArray(): usize {
  if (!enter()) return 0;
  const arr = arrayValue(0);
  skipWs();
  if (peek() == 93) {
    pos++;
    depth--;
    return arr;
  }
  while (true) {
    const v = parseValue();
    if (v == 0) return 0;
    arrPush(arr, v);
    skipWs();
    const c = peek();
    pos++;
    if (c == 44) continue;
    if (c == 93) break;
    return 0;
  }
  depth--;
  return arr;
}

/** `{` starts an object; in Rego syntax also a set (`{1, 2}`) when the first item has no `:`. */
function parseBrace(): usize {
  if (!enter()) return 0;
  skipWs();
  if (peek() == 125) {
    pos++;
    depth--;
    return objectValue();
  }
  let coll: usize = 0;
  while (true) {
    skipWs();
    if (!rego && peek() != 34) return 0;
    const k = parseValue();
    if (k == 0) return 0;
    skipWs();
    if (coll == 0) coll = peek() == 58 || !rego ? objectValue() : setValue();
    if (tagOf(coll) == TAG_OBJECT) {
      if (peek() != 58) return 0;
      pos++;
      const v = parseValue();
      if (v == 0) return 0;
      objSet(coll, k, v);
    } else {
      setAdd(coll, k);
    }
    skipWs();
    const c = peek();
    pos++;
    if (c == 44) continue;
    if (c == 125) break;
    return 0;
  }
  depth--;
  return coll;
}

function hexVal(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>(c - 48);
  if (c >= 97 && c <= 102) return <i32>(c - 87);
  if (c >= 65 && c <= 70) return <i32>(c - 55);
  return -1;
}

function parseHex4(): i32 {
  if (end - pos < 4) return -1;
  let x: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const h = hexVal(load<u8>(pos + i));
    if (h < 0) return -1;
    x = (x << 4) | h;
  }
  pos += 4;
  return x;
}

// Decoded text is never longer than its escaped source, so the source length bounds it.
function parseString(): usize {
  pos++;
  const plain = plainStringEnd(pos, end);
  if (plain != 0) {
    // No escapes, control characters or multi-byte sequences: one copy.
    const n = plain - pos;
    const block = inline.always(alloc(STRING_HEADER + n));
    memory.copy(block + STRING_HEADER, pos, n);
    pos = plain + 1;
    return initString(block, block + STRING_HEADER, <u32>n);
  }
  let scan = pos;
  while (scan < end) {
    const c = load<u8>(scan);
    if (c == 34) break;
    scan += c == 92 ? 2 : 1;
  }
  if (scan >= end) return 0;
  // One block: the string header, then the bytes.
  const block = alloc(STRING_HEADER + scan - pos);
  const out = block + STRING_HEADER;
  let n: u32 = 0;
  while (true) {
    if (pos >= end) return 0;
    const c = <u32>load<u8>(pos);
    if (c == 34) {
      pos++;
      break;
    }
    if (c < 0x20) return 0;
    if (c == 92) {
      pos++;
      if (pos >= end) return 0;
      const e = <u32>load<u8>(pos);
      pos++;
      if (e == 117) {
        let cp = parseHex4();
        if (cp < 0) return 0;
        if (cp >= 0xd800 && cp < 0xdc00) {
          // A high surrogate pairs with a following \uDC00-\uDFFF; alone it is U+FFFD.
          const save = pos;
          let lo: i32 = -1;
          if (end - pos >= 2 && load<u8>(pos) == 92 && load<u8>(pos + 1) == 117) {
            pos += 2;
            lo = parseHex4();
          }
          if (lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          else {
            pos = save;
            cp = 0xfffd;
          }
        } else if (cp >= 0xdc00 && cp < 0xe000) {
          cp = 0xfffd;
        }
        n += encodeCp(out + n, <u32>cp);
        continue;
      }
      let d: u32;
      if (e == 34 || e == 92 || e == 47) d = e;
      else if (e == 98) d = 8;
      else if (e == 102) d = 12;
      else if (e == 110) d = 10;
      else if (e == 114) d = 13;
      else if (e == 116) d = 9;
      else return 0;
      store<u8>(out + n, <u8>d);
      n++;
      continue;
    }
    if (c < 0x80) {
      store<u8>(out + n, <u8>c);
      n++;
      pos++;
      continue;
    }
    const len = utf8SeqLen(pos, end);
    if (len == 0) return 0;
    memory.copy(out + n, pos, len);
    n += len;
    pos += len;
  }
  return initString(block, out, n);
}

/** Where the closing quote of a string of plain ASCII starting at p is, or 0 if not plain. */
function plainStringEnd(p: usize, e: usize): usize {
  while (p < e) {
    const c = load<u8>(p);
    if (c == 34) return p;
    if (c == 92 || c < 0x20 || c >= 0x80) return 0;
    p++;
  }
  return 0;
}

const POW10 = memory.data<f64>([
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
]);

function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

function skipDigits(): void {
  while (pos < end && isDigit(load<u8>(pos))) pos++;
}

/** Parses a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function parseNumber(): usize {
  let neg = false;
  if (peek() == 45) {
    neg = true;
    pos++;
  }
  const intStart = pos;
  const c0 = peek();
  if (c0 == 48) {
    pos++;
    if (isDigit(peek())) return 0;
  } else if (isDigit(c0)) skipDigits();
  else return 0;
  const intEnd = pos;
  let fracEnd = pos;
  if (peek() == 46) {
    pos++;
    if (!isDigit(peek())) return 0;
    skipDigits();
    fracEnd = pos;
  }
  let exp: i32 = 0;
  const c = peek();
  if (c == 101 || c == 69) {
    pos++;
    let eneg = false;
    const s = peek();
    if (s == 43 || s == 45) {
      eneg = s == 45;
      pos++;
    }
    if (!isDigit(peek())) return 0;
    while (pos < end && isDigit(load<u8>(pos))) {
      if (exp < 100000) exp = exp * 10 + <i32>(load<u8>(pos) - 48);
      pos++;
    }
    if (eneg) exp = -exp;
  }
  const d = decimalValue(intStart, intEnd, fracEnd, exp);
  if (!isFinite(d)) return 0;
  return numberValue(neg ? -d : d);
}

/**
 * The double nearest to the decimal with integer digits [intStart, intEnd), fraction digits
 * (intEnd, fracEnd) and exponent `exp`. Short inputs take the exact fast path.
 */
function decimalValue(intStart: usize, intEnd: usize, fracEnd: usize, exp: i32): f64 {
  const NUMDIGITS = decimalDigitsBuf();
  let nd: i32 = 0;
  let exp10 = exp;
  let dropped = false;
  for (let p = intStart; p < fracEnd; p++) {
    if (p == intEnd) continue;
    const ch = load<u8>(p);
    if (p > intEnd) exp10--;
    if (nd == 0 && ch == 48) continue;
    if (nd < MAX_SIG_DIGITS - 1) store<u8>(NUMDIGITS + nd++, ch);
    else {
      if (p < intEnd) exp10++;
      if (ch != 48) dropped = true;
    }
  }
  if (nd == 0) return 0;
  if (dropped) {
    // A trailing 1 stands for the nonzero digits dropped: it keeps the value strictly
    // between the same two halfway points.
    store<u8>(NUMDIGITS + nd++, 49);
    exp10--;
  }
  while (nd > 1 && load<u8>(NUMDIGITS + nd - 1) == 48) {
    nd--;
    exp10++;
  }
  if (nd <= 15 && exp10 >= -22 && exp10 <= 22) {
    // Both operands are exact doubles, so one IEEE operation rounds correctly.
    let m: f64 = 0;
    for (let i: i32 = 0; i < nd; i++) m = m * 10 + <f64>(load<u8>(NUMDIGITS + i) - 48);
    const scale = load<f64>(POW10 + ((<usize>(exp10 < 0 ? -exp10 : exp10)) << 3));
    return exp10 >= 0 ? m * scale : m / scale;
  }
  return decimalToDouble(NUMDIGITS, nd, exp10);
}

// ---------------------------------------------------------------- dumping

export const MODE_JSON: i32 = 0;
export const MODE_VALUE: i32 = 1;
/** Rego syntax with spaces after `,` and `:`, as OPA prints values in messages (sprintf %v). */
export const MODE_PRETTY: i32 = 2;

export function dumpValue(w: usize, v: usize, mode: i32): void {
  switch (tagOf(v)) {
    case TAG_NULL:
      wStatic(w, "null");
      return;
    case TAG_BOOL:
      if (boolOf(v)) wStatic(w, "true");
      else wStatic(w, "false");
      return;
    case TAG_NUMBER:
      wNumber(w, numberOf(v));
      return;
    case TAG_STRING:
      wQuoted(w, strPtr(v), strLen(v));
      return;
    case TAG_ARRAY: {
      wByte(w, 91);
      const n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) separator(w, mode);
        dumpValue(w, arrGet(v, i), mode);
      }
      wByte(w, 93);
      return;
    }
    case TAG_SET: {
      const n = collCount(v);
      if (n == 0 && mode != MODE_JSON) {
        wStatic(w, "set()");
        return;
      }
      wByte(w, mode == MODE_JSON ? 91 : 123);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) separator(w, mode);
        dumpValue(w, sortedKey(v, i), mode);
      }
      wByte(w, mode == MODE_JSON ? 93 : 125);
      return;
    }
    case TAG_OBJECT: {
      if (mode == MODE_JSON && !allStringKeys(v)) {
        dumpJsonObjectByKeyText(w, v);
        return;
      }
      wByte(w, 123);
      const n = collCount(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) separator(w, mode);
        const k = sortedKey(v, i);
        if (mode == MODE_JSON && tagOf(k) != TAG_STRING) {
          // A non-string key becomes its JSON text, as OPA does.
          const kw = writerNew(32);
          dumpValue(kw, k, MODE_JSON);
          wQuoted(w, wBuf(kw), wLen(kw));
        } else {
          dumpValue(w, k, mode);
        }
        wByte(w, 58);
        if (mode == MODE_PRETTY) wByte(w, 32);
        dumpValue(w, sortedVal(v, i), mode);
      }
      wByte(w, 125);
      return;
    }
  }
  // Undefined has no text; it only appears if generated code passes 0.
  wStatic(w, "null");
}

function allStringKeys(v: usize): bool {
  const n = collCount(v);
  for (let i: u32 = 0; i < n; i++) if (tagOf(sortedKey(v, i)) != TAG_STRING) return false;
  return true;
}

/**
 * An object with non-string keys as JSON: each key becomes its JSON text, and the members
 * are sorted by those texts (as Go's encoding/json sorts map keys), not by value order;
 * of members whose key texts collide, only the last in value order is kept.
 */
function dumpJsonObjectByKeyText(w: usize, v: usize): void {
  const n = collCount(v);
  const keys = alloc((<usize>n) << 2);
  const order = alloc((<usize>n) << 2);
  for (let i: u32 = 0; i < n; i++) {
    let k = sortedKey(v, i);
    if (tagOf(k) != TAG_STRING) {
      const kw = writerNew(32);
      dumpValue(kw, k, MODE_JSON);
      k = wFinishString(kw);
    }
    store<u32>(keys + ((<usize>i) << 2), <u32>k);
    // Insertion sort of entry indexes by key text (such objects are small).
    let j = i;
    while (j > 0) {
      const prev = load<u32>(order + ((<usize>(j - 1)) << 2));
      if (compareStrings(<usize>load<u32>(keys + ((<usize>prev) << 2)), k) <= 0) break;
      store<u32>(order + ((<usize>j) << 2), prev);
      j--;
    }
    store<u32>(order + ((<usize>j) << 2), i);
  }
  wByte(w, 123);
  let first = true;
  for (let i: u32 = 0; i < n; i++) {
    const e = load<u32>(order + ((<usize>i) << 2));
    const k = <usize>load<u32>(keys + ((<usize>e) << 2));
    // Keys with the same text (`0` and `"0"`) collide in JSON: the last in value order
    // wins, as when the members are assigned to a JSON object one by one.
    if (i + 1 < n) {
      const next = load<u32>(order + ((<usize>(i + 1)) << 2));
      if (compareStrings(<usize>load<u32>(keys + ((<usize>next) << 2)), k) == 0) continue;
    }
    if (!first) wByte(w, 44);
    first = false;
    wQuoted(w, strPtr(k), strLen(k));
    wByte(w, 58);
    dumpValue(w, sortedVal(v, e), MODE_JSON);
  }
  wByte(w, 125);
}

function separator(w: usize, mode: i32): void {
  wByte(w, 44);
  if (mode == MODE_PRETTY) wByte(w, 32);
}

/**
 * NUL-terminated JSON of the result set of value v, without building the set:
 * `[{"result":…}]`, or `[]` when v is undefined (0).
 */
export function dumpResultJSON(v: usize): usize {
  setGoEscapes(false);
  const w = writerNew(64);
  if (v == 0) {
    wStatic(w, "[]");
  } else {
    wStatic(w, '[{"result":');
    dumpValue(w, v, MODE_JSON);
    wStatic(w, "}]");
  }
  return wFinishC(w);
}

/** NUL-terminated text of v. */
export function dumpC(v: usize, mode: i32): usize {
  // Dumps never use json.marshal's Go escapes, even if an abort left them switched on.
  setGoEscapes(false);
  const w = writerNew(64);
  dumpValue(w, v, mode);
  return wFinishC(w);
}
