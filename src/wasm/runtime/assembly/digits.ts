// Decimal and radix digits of doubles for Go-style formatting (sprintf, format_int). OPA
// formats with Go's strconv and math/big, which work on exact values; these functions give
// the same digits from our doubles: the exact binary expansion for %e/%f with a precision,
// the shortest round-trip digits for %v/%g, and for integers the value an integral double
// stands for (docs/decisions.md D9): the shortest decimal below 10^21, the exact binary
// value from there on.
//
// The current digit string is module state (dBuf, dN, dDp): ASCII digits without trailing
// zeros, value 0.DIGITS × 10^dDp. It lives on the heap and is garbage after use.
import {
  bigDivSmall,
  bigIsZero,
  bigMulSmall,
  bigAddSmall,
  bigScratch,
  bigSet,
  bigShl,
} from "./bignum";
import { alloc } from "./mem";
import { shortestDecimal, shortestDecimalExp, shortestDigitsBuf } from "./numconv";
import { hexDigit } from "./text";

let dBuf: usize = 0;
let dN: i32 = 0;
let dDp: i32 = 0;

export function digitsPtr(): usize {
  return dBuf;
}

export function digitsCount(): i32 {
  return dN;
}

export function digitsPoint(): i32 {
  return dDp;
}

/** Digit i of the current string, or '0' past either end. */
export function digitAt(i: i32): u32 {
  return i >= 0 && i < dN ? <u32>load<u8>(dBuf + <usize>i) : 48;
}

function stripTrailingZeros(): void {
  while (dN > 0 && load<u8>(dBuf + <usize>(dN - 1)) == 48) dN--;
}

/** Shortest round-trip digits of a finite positive double. */
export function loadShortest(v: f64): void {
  const nd = shortestDecimal(v);
  dBuf = alloc(<usize>nd);
  memory.copy(dBuf, shortestDigitsBuf(), <usize>nd);
  dN = nd;
  dDp = shortestDecimalExp();
  stripTrailingZeros();
}

const TWO_53: f64 = 9007199254740992.0;
const TWO_64: f64 = 18446744073709551616.0;

/** Sets scratch bignum 5 to the double's mantissa; returns its binary exponent e (v = mant × 2^e). */
function mantissaOf(v: f64): i32 {
  const bits = reinterpret<u64>(v);
  const be = <i32>((bits >>> 52) & 0x7ff);
  const frac = bits & 0xfffffffffffff;
  bigSet(bigScratch(5), be == 0 ? frac : frac | 0x10000000000000);
  return be == 0 ? -1074 : be - 1075;
}

/** Writes bignum b's decimal digits (most significant first) into a fresh buffer. */
function bigToDecimal(b: usize): void {
  const chunks = alloc((<usize>((load<u32>(b) * 10) / 9 + 2)) << 2);
  let nc: i32 = 0;
  while (!bigIsZero(b)) {
    store<u32>(chunks + ((<usize>nc) << 2), bigDivSmall(b, 1000000000));
    nc++;
  }
  dBuf = alloc(<usize>nc * 9 + 1);
  dN = 0;
  for (let i = nc - 1; i >= 0; i--) {
    let c = load<u32>(chunks + ((<usize>i) << 2));
    const at = dBuf + <usize>dN;
    for (let k = 8; k >= 0; k--) {
      store<u8>(at + <usize>k, <u8>(48 + (c % 10)));
      c /= 10;
    }
    dN += 9;
  }
  // Drop the leading zeros of the first chunk.
  let lead: i32 = 0;
  while (lead < dN && load<u8>(dBuf + <usize>lead) == 48) lead++;
  dBuf += <usize>lead;
  dN -= lead;
}

/** The exact decimal expansion of a finite positive double (mant × 2^e = mant × 5^-e × 10^e). */
export function loadExact(v: f64): void {
  const e = mantissaOf(v);
  const b = bigScratch(5);
  if (e >= 0) bigShl(b, <u32>e);
  else {
    let k = -e;
    while (k >= 13) {
      bigMulSmall(b, 1220703125); // 5^13
      k -= 13;
    }
    while (k-- > 0) bigMulSmall(b, 5);
  }
  bigToDecimal(b);
  dDp = e >= 0 ? dN : dN + e;
  stripTrailingZeros();
}

/** Keeps n significant digits, rounding the exact value half to even (as Go's strconv). */
export function roundDigits(n: i32): void {
  if (n < 0) {
    dN = 0;
    return;
  }
  if (dN <= n) return;
  const next = digitAt(n);
  let restNonZero = false;
  for (let i = n + 1; i < dN; i++) if (digitAt(i) != 48) restNonZero = true;
  const lastOdd = n > 0 && (digitAt(n - 1) & 1) == 1;
  const up = next > 53 || (next == 53 && (restNonZero || lastOdd));
  dN = n;
  if (up) {
    let i = n - 1;
    while (i >= 0 && load<u8>(dBuf + <usize>i) == 57) {
      store<u8>(dBuf + <usize>i, 48);
      i--;
    }
    if (i < 0) {
      // All nines: the digits become 1 followed by zeros, one place higher.
      store<u8>(dBuf, 49);
      dN = 1;
      dDp++;
      return;
    }
    store<u8>(dBuf + <usize>i, load<u8>(dBuf + <usize>i) + 1);
  }
  stripTrailingZeros();
}

/**
 * The magnitude of the integer an integral double stands for, as u64; valid below 2^64
 * (the shortest decimal of the largest double below 2^64 is still below 2^64).
 */
export function integralU64(a: f64): u64 {
  if (a < TWO_53) return <u64>a;
  const nd = shortestDecimal(a);
  const p = shortestDigitsBuf();
  let x: u64 = 0;
  for (let i: i32 = 0; i < nd; i++) x = x * 10 + <u64>(load<u8>(p + <usize>i) - 48);
  for (let i = nd; i < shortestDecimalExp(); i++) x *= 10;
  return x;
}

/** Sets bignum b to the integer an integral double of magnitude a >= 2^53 stands for. */
function integralBig(a: f64): usize {
  const b = bigScratch(5);
  if (a >= 1e21) {
    bigShl(b, <u32>mantissaOf(a));
    return b;
  }
  const nd = shortestDecimal(a);
  const p = shortestDigitsBuf();
  bigSet(b, 0);
  for (let i: i32 = 0; i < nd; i++) {
    bigMulSmall(b, 10);
    bigAddSmall(b, <u32>(load<u8>(p + <usize>i) - 48));
  }
  for (let i = nd; i < shortestDecimalExp(); i++) bigMulSmall(b, 10);
  return b;
}

/**
 * The digits in `base` (2-16) of the magnitude of an integral double, as the integer it
 * stands for; "0" for zero. dDp is set to the digit count (the value is an integer).
 */
export function loadIntegral(a: f64, base: u32, upper: bool): void {
  if (a < 0) a = -a;
  const cap: usize = a < TWO_64 ? 64 : 1100;
  const tmp = alloc(cap);
  let n: usize = 0;
  if (a < TWO_64) {
    let x = integralU64(a);
    do {
      store<u8>(tmp + n++, <u8>digitChar(<u32>(x % base), upper));
      x /= base;
    } while (x != 0);
  } else {
    const b = integralBig(a);
    while (!bigIsZero(b)) store<u8>(tmp + n++, <u8>digitChar(bigDivSmall(b, base), upper));
  }
  dBuf = alloc(n);
  for (let i: usize = 0; i < n; i++) store<u8>(dBuf + i, load<u8>(tmp + n - 1 - i));
  dN = <i32>n;
  dDp = dN;
}

function digitChar(d: u32, upper: bool): u32 {
  const c = hexDigit(d);
  return upper && c > 57 ? c - 32 : c;
}
