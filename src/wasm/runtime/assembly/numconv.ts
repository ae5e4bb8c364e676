// Exact number conversion. Text of a double: the shortest digits that read back as the
// same double, the closest to it on ties (Burger & Dybvig's free-format algorithm), laid
// out as JavaScript's Number.prototype.toString does. Double of a decimal: an estimate
// corrected to the correctly rounded value by exact comparisons with the halfway points.
import { scratch } from "./mem";
import {
  BIG_SCRATCH_END,
  bigAdd,
  bigAddSmall,
  bigCmp,
  bigCopy,
  bigIsZero,
  bigMulPow10,
  bigMulSmall,
  bigScratch,
  bigSet,
  bigShl,
  bigSub,
} from "./bignum";

let decimalExp: i32 = 0;

/** Digit buffer for formatDouble: 32 bytes of scratch after the bignums. */
function digitsBuf(): usize {
  return scratch() + BIG_SCRATCH_END;
}

/** Shortest digits of a finite positive double into DIGITS; returns the digit count. */
function shortestDigits(v: f64): i32 {
  const bits = reinterpret<u64>(v);
  const be = <i32>((bits >>> 52) & 0x7ff);
  let f = bits & 0xfffffffffffff;
  let e: i32;
  if (be == 0) e = -1074;
  else {
    f |= 0x10000000000000;
    e = be - 1075;
  }
  const even = (f & 1) == 0;
  const r = bigScratch(0);
  const s = bigScratch(1);
  const mp = bigScratch(2);
  const mm = bigScratch(3);
  const t = bigScratch(4);
  // The lower neighbour is closer when f is a power of two (except at the smallest exponent).
  const unequal = f == 0x10000000000000 && be > 1;
  if (e >= 0) {
    bigSet(r, f);
    bigShl(r, <u32>e + (unequal ? 2 : 1));
    bigSet(s, unequal ? 4 : 2);
    bigSet(mp, 1);
    bigShl(mp, <u32>e + (unequal ? 1 : 0));
    bigSet(mm, 1);
    bigShl(mm, <u32>e);
  } else {
    bigSet(r, f);
    bigShl(r, unequal ? 2 : 1);
    bigSet(s, 1);
    bigShl(s, <u32>-e + (unequal ? 2 : 1));
    bigSet(mp, unequal ? 2 : 1);
    bigSet(mm, 1);
  }
  let k = <i32>Math.ceil(Math.log10(v) - 1e-10);
  if (k >= 0) bigMulPow10(s, <u32>k);
  else {
    bigMulPow10(r, <u32>-k);
    bigMulPow10(mp, <u32>-k);
    bigMulPow10(mm, <u32>-k);
  }
  bigAdd(t, r, mp);
  const c = bigCmp(t, s);
  if (even ? c >= 0 : c > 0) k++;
  else {
    bigMulSmall(r, 10);
    bigMulSmall(mp, 10);
    bigMulSmall(mm, 10);
  }
  decimalExp = k;
  const DIGITS = digitsBuf();
  let n: i32 = 0;
  while (true) {
    let d: u32 = 0;
    while (bigCmp(r, s) >= 0) {
      bigSub(r, s);
      d++;
    }
    const c1 = bigCmp(r, mm);
    const low = even ? c1 <= 0 : c1 < 0;
    bigAdd(t, r, mp);
    const c2 = bigCmp(t, s);
    const high = even ? c2 >= 0 : c2 > 0;
    if (!low && !high) {
      store<u8>(DIGITS + n++, <u8>(48 + d));
      bigMulSmall(r, 10);
      bigMulSmall(mp, 10);
      bigMulSmall(mm, 10);
      continue;
    }
    if (low && high) {
      bigCopy(t, r);
      bigShl(t, 1);
      const c3 = bigCmp(t, s);
      if (c3 > 0 || (c3 == 0 && (d & 1) == 1)) d++;
    } else if (high) d++;
    store<u8>(DIGITS + n++, <u8>(48 + d));
    return n;
  }
}

const POW10 = memory.data<f64>([
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
]);

/**
 * Fast path for short decimals such as 0.1 or 12.75: the fewest fraction digits k for which
 * m = round(v × 10^k) is below 2^50 and m / 10^k reads back as v. Both 10^k and m are exact
 * doubles, so the division is correctly rounded and the check is exact; the nearest
 * k-digit decimal is the only one that can round-trip, so this is the shortest and closest
 * representation. Returns 0 (use the exact algorithm) when there is none.
 */
function fastDigits(v: f64): i32 {
  for (let k: i32 = 1; k <= 22; k++) {
    const scale = load<f64>(POW10 + ((<usize>k) << 3));
    const s = v * scale;
    // Below 2^50 the product's rounding error (≤ 1/16) cannot pick the wrong integer for a
    // decimal that round-trips, and no two k-digit decimals are within one ulp of v.
    if (s >= 1125899906842624.0) return 0;
    const m = Math.floor(s + 0.5);
    if (m / scale != v) continue;
    let x = <u64>m;
    let nd: i32 = 0;
    const DIGITS = digitsBuf();
    for (let t = x; t != 0; t /= 10) nd++;
    for (let i = nd - 1; i >= 0; i--) {
      store<u8>(DIGITS + i, <u8>(48 + <u32>(x % 10)));
      x /= 10;
    }
    decimalExp = nd - k;
    return nd;
  }
  return 0;
}

/**
 * Writes a finite nonzero double at dst as JavaScript prints it; returns the byte count
 * (at most 25).
 */
export function formatDouble(dst: usize, v: f64): u32 {
  let o: u32 = 0;
  if (v < 0) {
    store<u8>(dst, 45);
    o = 1;
    v = -v;
  }
  let nd = fastDigits(v);
  if (nd == 0) nd = shortestDigits(v);
  const n = decimalExp;
  const DIGITS = digitsBuf();
  if (nd <= n && n <= 21) {
    memory.copy(dst + o, DIGITS, nd);
    o += <u32>nd;
    for (let i = nd; i < n; i++) store<u8>(dst + o++, 48);
  } else if (0 < n && n <= 21) {
    memory.copy(dst + o, DIGITS, n);
    o += <u32>n;
    store<u8>(dst + o++, 46);
    memory.copy(dst + o, DIGITS + n, nd - n);
    o += <u32>(nd - n);
  } else if (-6 < n && n <= 0) {
    store<u8>(dst + o++, 48);
    store<u8>(dst + o++, 46);
    for (let i = n; i < 0; i++) store<u8>(dst + o++, 48);
    memory.copy(dst + o, DIGITS, nd);
    o += <u32>nd;
  } else {
    store<u8>(dst + o++, load<u8>(DIGITS));
    if (nd > 1) {
      store<u8>(dst + o++, 46);
      memory.copy(dst + o, DIGITS + 1, nd - 1);
      o += <u32>(nd - 1);
    }
    store<u8>(dst + o++, 101);
    let e = n - 1;
    store<u8>(dst + o++, e < 0 ? 45 : 43);
    if (e < 0) e = -e;
    if (e >= 100) store<u8>(dst + o++, <u8>(48 + e / 100));
    if (e >= 10) store<u8>(dst + o++, <u8>(48 + ((e / 10) % 10)));
    store<u8>(dst + o++, <u8>(48 + (e % 10)));
  }
  return o;
}

/**
 * Shortest round-trip digits of a finite positive double, for Go-style formatting: returns
 * the digit count; the ASCII digits are at shortestDigitsBuf() (valid until the next
 * conversion) and the value is 0.DIGITS × 10^shortestDecimalExp().
 */
export function shortestDecimal(v: f64): i32 {
  const nd = fastDigits(v);
  return nd != 0 ? nd : shortestDigits(v);
}

export function shortestDecimalExp(): i32 {
  return decimalExp;
}

export function shortestDigitsBuf(): usize {
  return digitsBuf();
}

// ---------------------------------------------------------------- text → double

export const MAX_SIG_DIGITS: i32 = 780;

/** Buffer for the digits of decimalToDouble: MAX_SIG_DIGITS bytes of scratch. */
export function decimalDigitsBuf(): usize {
  return scratch() + BIG_SCRATCH_END + 32;
}

/**
 * Correctly rounded value of digits × 10^exp10, where `digits` holds `nd` ASCII digits
 * (no leading zeros, nd ≤ MAX_SIG_DIGITS). Infinity when out of range.
 */
export function decimalToDouble(digits: usize, nd: i32, exp10: i32): f64 {
  const mag = nd + exp10; // value < 10^mag
  if (mag > 310) return Infinity;
  if (mag < -330) return 0;
  const D = bigScratch(0);
  bigSet(D, 0);
  let approx: f64 = 0;
  for (let i: i32 = 0; i < nd; i++) {
    const dg = <u32>(load<u8>(digits + i) - 48);
    bigMulSmall(D, 10);
    bigAddSmall(D, dg);
    if (i < 19) approx = approx * 10 + <f64>dg;
  }
  const e = exp10 + (nd > 19 ? nd - 19 : 0);
  // Split the power so intermediate results neither overflow nor underflow.
  const h = e / 2;
  let x = approx * Math.pow(10, <f64>h) * Math.pow(10, <f64>(e - h));
  if (!isFinite(x)) x = 1.7976931348623157e308;
  for (let iter = 0; iter < 200; iter++) {
    const c = compareHalfway(D, exp10, x, true);
    if (c > 0 || (c == 0 && isOddMantissa(x))) {
      if (x == 1.7976931348623157e308) return Infinity;
      x = nextUp(x);
      if (c == 0) return x;
      continue;
    }
    if (x == 0) return x;
    const c2 = compareHalfway(D, exp10, x, false);
    if (c2 < 0 || (c2 == 0 && isOddMantissa(x))) {
      x = nextDown(x);
      if (c2 == 0) return x;
      continue;
    }
    return x;
  }
  return x;
}

function isOddMantissa(x: f64): bool {
  return (reinterpret<u64>(x) & 1) == 1;
}

function nextUp(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) + 1);
}

function nextDown(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) - 1);
}

/** Compares D × 10^exp10 with the halfway point above (or below) the positive double x. */
function compareHalfway(D: usize, exp10: i32, x: f64, above: bool): i32 {
  const bits = reinterpret<u64>(x);
  const be = <i32>((bits >>> 52) & 0x7ff);
  let m = bits & 0xfffffffffffff;
  let e: i32;
  if (be == 0) e = -1074;
  else {
    m |= 0x10000000000000;
    e = be - 1075;
  }
  // Halfway = M × 2^p with M odd.
  let M: u64;
  let p: i32;
  if (above) {
    M = 2 * m + 1;
    p = e - 1;
  } else if (m == 0x10000000000000 && be > 1) {
    M = 4 * m - 1;
    p = e - 2;
  } else {
    M = 2 * m - 1;
    p = e - 1;
  }
  const L = bigScratch(1);
  const R = bigScratch(2);
  bigCopy(L, D);
  bigSet(R, M);
  if (exp10 >= 0) bigMulPow10(L, <u32>exp10);
  else bigMulPow10(R, <u32>-exp10);
  if (p >= 0) bigShl(R, <u32>p);
  else bigShl(L, <u32>-p);
  if (bigIsZero(L)) return bigIsZero(R) ? 0 : -1;
  return bigCmp(L, R);
}
