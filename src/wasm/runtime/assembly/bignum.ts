// Small arbitrary-precision unsigned integers for exact number conversion (shortest
// double → text and correctly rounded text → double). A bignum is a block in the runtime's
// scratch area (mem.ts): u32 limb count, then little-endian u32 limbs. Conversions are leaf
// code, so scratch space is safe and costs no heap.
import { scratch } from "./mem";

export const MAX_LIMBS: u32 = 192;
const BIG_BYTES: usize = (<usize>MAX_LIMBS + 1) << 2;

/** Scratch bignum i (0-5); bytes after the six bignums are free for other scratch use. */
export function bigScratch(i: u32): usize {
  return scratch() + <usize>i * BIG_BYTES;
}

export const BIG_SCRATCH_END: usize = BIG_BYTES * 6;

function limbs(b: usize): u32 {
  return load<u32>(b);
}

function limb(b: usize, i: u32): u32 {
  return load<u32>(b + 4 + ((<usize>i) << 2));
}

function setLimb(b: usize, i: u32, x: u32): void {
  store<u32>(b + 4 + ((<usize>i) << 2), x);
}

function trim(b: usize): void {
  let n = limbs(b);
  while (n > 0 && limb(b, n - 1) == 0) n--;
  store<u32>(b, n);
}

export function bigSet(b: usize, x: u64): void {
  setLimb(b, 0, <u32>x);
  setLimb(b, 1, <u32>(x >>> 32));
  store<u32>(b, 2);
  trim(b);
}

export function bigCopy(dst: usize, src: usize): void {
  memory.copy(dst, src, (<usize>limbs(src) + 1) << 2);
}

export function bigIsZero(b: usize): bool {
  return limbs(b) == 0;
}

export function bigMulSmall(b: usize, m: u32): void {
  let carry: u64 = 0;
  const n = limbs(b);
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>limb(b, i) * <u64>m + carry;
    setLimb(b, i, <u32>t);
    carry = t >>> 32;
  }
  if (carry != 0 && n < MAX_LIMBS) {
    setLimb(b, n, <u32>carry);
    store<u32>(b, n + 1);
  }
}

export function bigAddSmall(b: usize, a: u32): void {
  let carry = <u64>a;
  const n = limbs(b);
  for (let i: u32 = 0; i < n && carry != 0; i++) {
    const t = <u64>limb(b, i) + carry;
    setLimb(b, i, <u32>t);
    carry = t >>> 32;
  }
  if (carry != 0 && n < MAX_LIMBS) {
    setLimb(b, n, <u32>carry);
    store<u32>(b, n + 1);
  }
}

export function bigMulPow10(b: usize, k: u32): void {
  while (k >= 9) {
    bigMulSmall(b, 1000000000);
    k -= 9;
  }
  const P = memory.data<u32>([1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000]);
  if (k > 0) bigMulSmall(b, load<u32>(P + ((<usize>k) << 2)));
}

export function bigShl(b: usize, bits: u32): void {
  if (limbs(b) == 0) return;
  const words = bits >>> 5;
  const sh = bits & 31;
  const n = limbs(b);
  let top = n + words + 1;
  if (top > MAX_LIMBS) top = MAX_LIMBS;
  for (let i = <i32>top - 1; i >= 0; i--) {
    const src = i - <i32>words;
    let x: u32 = 0;
    if (src >= 0 && src < <i32>n) x = sh == 0 ? limb(b, <u32>src) : limb(b, <u32>src) << sh;
    if (sh != 0 && src - 1 >= 0 && src - 1 < <i32>n) x |= limb(b, <u32>(src - 1)) >>> (32 - sh);
    setLimb(b, <u32>i, x);
  }
  store<u32>(b, top);
  trim(b);
}

export function bigCmp(a: usize, b: usize): i32 {
  const na = limbs(a);
  const nb = limbs(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** dst = a + b (dst may be a or b). */
export function bigAdd(dst: usize, a: usize, b: usize): void {
  const na = limbs(a);
  const nb = limbs(b);
  const n = na > nb ? na : nb;
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>(i < na ? limb(a, i) : 0) + <u64>(i < nb ? limb(b, i) : 0) + carry;
    setLimb(dst, i, <u32>t);
    carry = t >>> 32;
  }
  store<u32>(dst, n);
  if (carry != 0 && n < MAX_LIMBS) {
    setLimb(dst, n, <u32>carry);
    store<u32>(dst, n + 1);
  }
}

/** a -= b, for a >= b. */
export function bigSub(a: usize, b: usize): void {
  const na = limbs(a);
  const nb = limbs(b);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < na; i++) {
    let t = <i64>limb(a, i) - <i64>(i < nb ? limb(b, i) : 0) - borrow;
    borrow = 0;
    if (t < 0) {
      t += 0x100000000;
      borrow = 1;
    }
    setLimb(a, i, <u32>t);
  }
  trim(a);
}

/** b /= m (m > 0); returns the remainder. */
export function bigDivSmall(b: usize, m: u32): u32 {
  let rem: u64 = 0;
  for (let i = <i32>limbs(b) - 1; i >= 0; i--) {
    const cur = (rem << 32) | (<u64>limb(b, <u32>i));
    setLimb(b, <u32>i, <u32>(cur / <u64>m));
    rem = cur % <u64>m;
  }
  trim(b);
  return <u32>rem;
}
