// Growable output buffers, number text and UTF-8 helpers. A writer is a 12-byte block:
// 0 buffer, 4 length, 8 capacity; it grows in place while it is the newest allocation.
import { alloc, realloc } from "./mem";
import { stringValue } from "./value";
import { formatDouble } from "./numconv";

export function writerNew(cap: u32): usize {
  const w = alloc(12);
  store<u32>(w, <u32>alloc(<usize>cap));
  store<u32>(w, 0, 4);
  store<u32>(w, cap, 8);
  return w;
}

export function wLen(w: usize): u32 {
  return load<u32>(w, 4);
}

export function wBuf(w: usize): usize {
  return <usize>load<u32>(w);
}

/** Makes room for `n` more bytes and returns where they go. */
export function wReserve(w: usize, n: u32): usize {
  const len = load<u32>(w, 4);
  const cap = load<u32>(w, 8);
  if (len + n > cap) {
    let ncap = cap << 1;
    if (ncap < len + n) ncap = len + n;
    if (ncap < 16) ncap = 16;
    store<u32>(w, <u32>realloc(wBuf(w), <usize>len, <usize>ncap));
    store<u32>(w, ncap, 8);
  }
  return wBuf(w) + <usize>len;
}

export function wAdvance(w: usize, n: u32): void {
  store<u32>(w, load<u32>(w, 4) + n, 4);
}

export function wByte(w: usize, b: u32): void {
  store<u8>(wReserve(w, 1), <u8>b);
  wAdvance(w, 1);
}

export function wBytes(w: usize, p: usize, n: u32): void {
  memory.copy(wReserve(w, n), p, <usize>n);
  wAdvance(w, n);
}

/** Writes a static string literal (ASCII). */
export function wStatic(w: usize, s: string): void {
  const n = <u32>s.length;
  const dst = wReserve(w, n);
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + ((<usize>i) << 1)));
  wAdvance(w, n);
}

/** NUL-terminates the buffer and returns it. */
export function wFinishC(w: usize): usize {
  wByte(w, 0);
  return wBuf(w);
}

/** The written bytes as a string value (sharing the buffer). */
export function wFinishString(w: usize): usize {
  return stringValue(wBuf(w), wLen(w));
}

export function wUnsigned(w: usize, x: u64): void {
  const tmp = wReserve(w, 20);
  let n: u32 = 0;
  do {
    store<u8>(tmp + n, <u8>(48 + <u32>(x % 10)));
    x /= 10;
    n++;
  } while (x != 0);
  for (let i: u32 = 0, j = n - 1; i < j; i++, j--) {
    const t = load<u8>(tmp + i);
    store<u8>(tmp + i, load<u8>(tmp + j));
    store<u8>(tmp + j, t);
  }
  wAdvance(w, n);
}

/**
 * Writes a number as JavaScript's Number.prototype.toString does (so both engines print
 * identically): integral values without a fraction, exponent form from 1e21 and below 1e-6.
 */
export function wNumber(w: usize, d: f64): void {
  if (!isFinite(d)) {
    wStatic(w, "null");
    return;
  }
  if (d == 0) {
    wByte(w, 48);
    return;
  }
  if (Math.floor(d) == d && Math.abs(d) < 9007199254740992.0) {
    if (d < 0) wByte(w, 45);
    wUnsigned(w, <u64>Math.abs(d));
    return;
  }
  wAdvance(w, formatDouble(wReserve(w, 32), d));
}

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

export function hexDigit(x: u32): u32 {
  return load<u8>(HEX + (x & 15));
}

// Go's encoding/json (json.marshal) also escapes <, > and & and U+2028/U+2029 as \uXXXX.
let goEscapes = false;

/** Switches the Go (json.marshal) escapes on or off for the following wQuoted calls. */
export function setGoEscapes(on: bool): void {
  goEscapes = on;
}

function needsGoEscape(p: usize, i: u32, n: u32, c: u32): u32 {
  if (c == 60 || c == 62 || c == 38) return c;
  // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
  if (c == 0xe2 && i + 2 < n && load<u8>(p + i + 1) == 0x80) {
    const c2 = <u32>load<u8>(p + i + 2);
    if (c2 == 0xa8 || c2 == 0xa9) return 0x2000 + c2 - 0x80;
  }
  return 0;
}

function needsEscape(p: usize, n: u32): bool {
  for (let i: usize = 0; i < <usize>n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x20 || c == 34 || c == 92) return true;
  }
  return false;
}

/** Writes a quoted JSON string: `"` and `\` escaped, control characters as \b \f \n \r \t or \u00XX. */
export function wQuoted(w: usize, p: usize, n: u32): void {
  if (!goEscapes && !needsEscape(p, n)) {
    const dst = wReserve(w, n + 2);
    store<u8>(dst, 34);
    memory.copy(dst + 1, p, <usize>n);
    store<u8>(dst + 1 + <usize>n, 34);
    wAdvance(w, n + 2);
    return;
  }
  wByte(w, 34);
  let start: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (goEscapes) {
      const g = needsGoEscape(p, i, n, c);
      if (g != 0) {
        if (i > start) wBytes(w, p + start, i - start);
        wStatic(w, "\\u");
        for (let k: i32 = 12; k >= 0; k -= 4) wByte(w, hexDigit(g >> k));
        if (g > 0x7f) i += 2;
        start = i + 1;
        continue;
      }
    }
    if (c >= 0x20 && c != 34 && c != 92) continue;
    if (i > start) wBytes(w, p + start, i - start);
    start = i + 1;
    wByte(w, 92);
    if (c == 34 || c == 92) wByte(w, c);
    else if (c == 8) wByte(w, 98);
    else if (c == 12) wByte(w, 102);
    else if (c == 10) wByte(w, 110);
    else if (c == 13) wByte(w, 114);
    else if (c == 9) wByte(w, 116);
    else {
      wStatic(w, "u00");
      wByte(w, hexDigit(c >> 4));
      wByte(w, hexDigit(c));
    }
  }
  if (n > start) wBytes(w, p + start, n - start);
  wByte(w, 34);
}

// ---------------------------------------------------------------- UTF-8

/** Length of the valid UTF-8 sequence at p (p < end), or 0 if it is not valid. */
export function utf8SeqLen(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return 1;
  let need: u32;
  let min: u32;
  let cp: u32;
  if ((b0 & 0xe0) == 0xc0) {
    need = 1;
    min = 0x80;
    cp = b0 & 0x1f;
  } else if ((b0 & 0xf0) == 0xe0) {
    need = 2;
    min = 0x800;
    cp = b0 & 0x0f;
  } else if ((b0 & 0xf8) == 0xf0) {
    need = 3;
    min = 0x10000;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (p + <usize>need >= end) return 0;
  for (let i: u32 = 1; i <= need; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/** Number of code points in n bytes of (valid) UTF-8. */
export function countCodePoints(p: usize, n: u32): u32 {
  let count: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) count++;
  return count;
}

/** Byte length of the code point starting at p (1 for a stray byte). */
export function cpLen(p: usize): u32 {
  const b = <u32>load<u8>(p);
  if (b < 0xc0) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  return 4;
}

/** Decodes the code point at p (assumes valid UTF-8). */
export function decodeCp(p: usize): u32 {
  const b = <u32>load<u8>(p);
  if (b < 0x80) return b;
  if (b < 0xe0) return ((b & 0x1f) << 6) | (load<u8>(p + 1) & 0x3f);
  if (b < 0xf0) {
    return ((b & 0x0f) << 12) | (((<u32>load<u8>(p + 1)) & 0x3f) << 6) | (load<u8>(p + 2) & 0x3f);
  }
  return (
    ((b & 0x07) << 18) |
    (((<u32>load<u8>(p + 1)) & 0x3f) << 12) |
    (((<u32>load<u8>(p + 2)) & 0x3f) << 6) |
    (load<u8>(p + 3) & 0x3f)
  );
}

/** Encodes a code point at dst; returns the byte count. */
export function encodeCp(dst: usize, cp: u32): u32 {
  if (cp < 0x80) {
    store<u8>(dst, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(dst, <u8>(0xc0 | (cp >> 6)));
    store<u8>(dst + 1, <u8>(0x80 | (cp & 0x3f)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(dst, <u8>(0xe0 | (cp >> 12)));
    store<u8>(dst + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(dst + 2, <u8>(0x80 | (cp & 0x3f)));
    return 3;
  }
  store<u8>(dst, <u8>(0xf0 | (cp >> 18)));
  store<u8>(dst + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(dst + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(dst + 3, <u8>(0x80 | (cp & 0x3f)));
  return 4;
}
