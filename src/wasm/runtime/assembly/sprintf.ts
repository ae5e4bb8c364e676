// `sprintf` as OPA computes it: Go's fmt.Sprintf over OPA's argument conversion. Integral
// numbers are int64 (*big.Int from 2^63 on), other numbers float64, strings stay strings and
// every other value is passed as its Rego text (`{"a": 1}`, `{1, 2}`, `true`). So
// `sprintf("%.2f", [3])` is `%!f(int64=3)` and `%s` of 3 is `%!s(int64=3)`, as in OPA. This
// mirrors src/builtins/sprintf.ts (the reference evaluator's), which a parity test checks.
import {
  digitAt,
  digitsCount,
  digitsPoint,
  digitsPtr,
  integralU64,
  loadExact,
  loadIntegral,
  loadShortest,
  roundDigits,
} from "./digits";
import { fail } from "./errors";
import { MODE_PRETTY, dumpValue } from "./json";
import {
  cpLen,
  decodeCp,
  encodeCp,
  hexDigit,
  wAdvance,
  wBuf,
  wByte,
  wBytes,
  wFinishString,
  wLen,
  wReserve,
  wStatic,
  writerNew,
} from "./text";
import {
  TAG_NUMBER,
  TAG_STRING,
  TAG_ARRAY,
  arrGet,
  arrLen,
  isIntegral,
  numberOf,
  strLen,
  strPtr,
  tagOf,
} from "./value";

const KIND_INT64: i32 = 0;
const KIND_BIG: i32 = 1;
const KIND_FLOAT: i32 = 2;
const KIND_STRING: i32 = 3;

const TWO_63: f64 = 9223372036854775808.0;

// The flags, width and precision of the verb being formatted (-1: absent).
let fMinus = false;
let fPlus = false;
let fSharp = false;
let fSpace = false;
let fZero = false;
let fWidth: i32 = -1;
let fPrec: i32 = -1;

// The current argument: its Go kind, number, or text bytes.
let aKind: i32 = 0;
let aNum: f64 = 0;
let aPtr: usize = 0;
let aLen: u32 = 0;

function loadArg(v: usize): void {
  const t = tagOf(v);
  if (t == TAG_NUMBER) {
    aNum = numberOf(v);
    aKind = !isIntegral(aNum) ? KIND_FLOAT : Math.abs(aNum) < TWO_63 ? KIND_INT64 : KIND_BIG;
    return;
  }
  aKind = KIND_STRING;
  if (t == TAG_STRING) {
    aPtr = strPtr(v);
    aLen = strLen(v);
    return;
  }
  const w = writerNew(32);
  dumpValue(w, v, MODE_PRETTY);
  aPtr = wBuf(w);
  aLen = wLen(w);
}

export function rt_builtin_sprintf(fmt: usize, args: usize): usize {
  if (tagOf(fmt) != TAG_STRING) return fail("sprintf", "operand 1 must be a string");
  if (tagOf(args) != TAG_ARRAY) return fail("sprintf", "operand 2 must be an array");
  const p = strPtr(fmt);
  const n = strLen(fmt);
  const nargs = arrLen(args);
  const w = writerNew(n + 32);
  let argi: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c != 37) {
      wByte(w, c);
      i++;
      continue;
    }
    i = parseSpec(p, n, i + 1);
    if (i >= n) {
      wStatic(w, "%!(NOVERB)");
      break;
    }
    const verb = decodeCp(p + i);
    const verbPtr = p + i;
    const verbLen = cpLen(p + i);
    i += verbLen;
    if (verb == 37) {
      wByte(w, 37);
      continue;
    }
    if (argi >= nargs) {
      wStatic(w, "%!");
      wBytes(w, verbPtr, verbLen);
      wStatic(w, "(MISSING)");
      continue;
    }
    loadArg(arrGet(args, argi++));
    formatArg(w, verb, verbPtr, verbLen);
  }
  if (argi < nargs) writeExtra(w, args, argi);
  return wFinishString(w);
}

/** Reads flags, width and precision after a `%`; returns the index of the verb. */
function parseSpec(p: usize, n: u32, i: u32): u32 {
  fMinus = fPlus = fSharp = fSpace = fZero = false;
  fWidth = fPrec = -1;
  for (; i < n; i++) {
    const f = load<u8>(p + i);
    if (f == 45) fMinus = true;
    else if (f == 43) fPlus = true;
    else if (f == 35) fSharp = true;
    else if (f == 32) fSpace = true;
    else if (f == 48) fZero = true;
    else break;
  }
  i = readNumber(p, n, i, false);
  if (i < n && load<u8>(p + i) == 46) {
    fPrec = 0;
    i = readNumber(p, n, i + 1, true);
  }
  return i;
}

/**
 * Reads a width or precision. Like Go, a number that grows past 10^6 swallows the rest of
 * the format (which then ends without a verb).
 */
function readNumber(p: usize, n: u32, i: u32, prec: bool): u32 {
  let x: i32 = 0;
  let any = false;
  while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) {
    if (x > 1000000) {
      if (prec) fPrec = 0;
      return n;
    }
    x = x * 10 + <i32>(load<u8>(p + i) - 48);
    any = true;
    i++;
  }
  if (any) {
    if (prec) fPrec = x;
    else fWidth = x;
  }
  return i;
}

function writeExtra(w: usize, args: usize, from: u32): void {
  wStatic(w, "%!(EXTRA ");
  const n = arrLen(args);
  for (let i = from; i < n; i++) {
    if (i > from) wStatic(w, ", ");
    loadArg(arrGet(args, i));
    writeTypeName(w, false);
    wByte(w, 61);
    writePlain(w);
  }
  wByte(w, 41);
}

function writeTypeName(w: usize, badVerb: bool): void {
  if (aKind == KIND_INT64) wStatic(w, "int64");
  else if (aKind == KIND_FLOAT) wStatic(w, "float64");
  else if (aKind == KIND_STRING) wStatic(w, "string");
  // *big.Int reports bad verbs itself, without the pointer star.
  else wStatic(w, badVerb ? "big.Int" : "*big.Int");
}

/** The argument as %v prints it without flags. */
function writePlain(w: usize): void {
  if (aKind == KIND_STRING) {
    wBytes(w, aPtr, aLen);
    return;
  }
  if (aNum < 0) wByte(w, 45);
  if (aKind == KIND_FLOAT) {
    formatFloat(w, Math.abs(aNum), 103, -1);
    return;
  }
  loadIntegral(aNum, 10, false);
  wBytes(w, digitsPtr(), <u32>digitsCount());
}

function writeBadVerb(w: usize, verbPtr: usize, verbLen: u32): void {
  wStatic(w, "%!");
  wBytes(w, verbPtr, verbLen);
  wByte(w, 40);
  writeTypeName(w, true);
  wByte(w, 61);
  writePlain(w);
  wByte(w, 41);
}

function formatArg(w: usize, verb: u32, verbPtr: usize, verbLen: u32): void {
  const start = wLen(w);
  if (verb == 84) {
    // %T
    writeTypeName(w, false);
    pad(w, start, false, 0);
    return;
  }
  let ok = false;
  if (aKind == KIND_INT64) ok = formatInt64(w, verb);
  else if (aKind == KIND_BIG) ok = formatInt(w, verb, true);
  else if (aKind == KIND_FLOAT) ok = formatFloatVerb(w, verb);
  else ok = formatString(w, verb);
  if (!ok) writeBadVerb(w, verbPtr, verbLen);
}

/**
 * Pads what was written since `start` to the width (in code points): on the right with
 * `-`, with zeros after the sign and prefix (`signLen` bytes) with `0`, else with spaces.
 */
function pad(w: usize, start: u32, numeric: bool, signLen: u32): void {
  if (fWidth < 0) return;
  const len = wLen(w) - start;
  let cps: u32 = 0;
  const body = wBuf(w) + start;
  for (let i: u32 = 0; i < len; i++) if ((load<u8>(body + i) & 0xc0) != 0x80) cps++;
  if (cps >= <u32>fWidth) return;
  const fill = <u32>fWidth - cps;
  const at = wReserve(w, fill) - len;
  if (fMinus) {
    memory.fill(at + len, 32, fill);
  } else if (fZero && (!numeric || fPrec < 0)) {
    memory.copy(at + signLen + fill, at + signLen, len - signLen);
    memory.fill(at + signLen, 48, fill);
  } else {
    memory.copy(at + fill, at, len);
    memory.fill(at, 32, fill);
  }
  wAdvance(w, fill);
}

function writeSign(w: usize, negative: bool): u32 {
  if (negative) wByte(w, 45);
  else if (fPlus) wByte(w, 43);
  else if (fSpace) wByte(w, 32);
  else return 0;
  return 1;
}

function baseOf(verb: u32, big: bool): u32 {
  if (verb == 98) return 2; // b
  if (verb == 111 || verb == 79) return 8; // o O
  if (verb == 100 || verb == 118) return 10; // d v
  if (verb == 120 || verb == 88) return 16; // x X
  if (big && verb == 115) return 10; // *big.Int also takes %s
  return 0;
}

function formatInt(w: usize, verb: u32, big: bool): bool {
  const base = baseOf(verb, big);
  if (base == 0) return false;
  const start = wLen(w);
  let head = writeSign(w, aNum < 0);
  loadIntegral(aNum, base, verb == 88);
  let nd = <u32>digitsCount();
  if (fPrec == 0 && aNum == 0) nd = 0;
  const firstIsZero = nd > 0 && load<u8>(digitsPtr()) == 48;
  const zeros: u32 = fPrec > 0 && <u32>fPrec > nd ? <u32>fPrec - nd : 0;
  if (verb == 79) {
    wStatic(w, "0o");
    head += 2;
  } else if (fSharp) {
    if (verb == 98) {
      wStatic(w, "0b");
      head += 2;
    } else if (verb == 111 && !(zeros > 0 || firstIsZero)) {
      wByte(w, 48);
      head += 1;
    } else if (verb == 120 || verb == 88) {
      wByte(w, 48);
      wByte(w, verb);
      head += 2;
    }
  }
  for (let i: u32 = 0; i < zeros; i++) wByte(w, 48);
  wBytes(w, digitsPtr(), nd);
  pad(w, start, true, head);
  return true;
}

/** int64 also prints as a character (%c), a quoted character (%q) or U+0041 (%U). */
function formatInt64(w: usize, verb: u32): bool {
  if (verb != 99 && verb != 113 && verb != 85) return formatInt(w, verb, false);
  const start = wLen(w);
  const n = aNum;
  const valid = n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
  const ch: u32 = valid ? <u32>n : 0xfffd;
  if (verb == 99) {
    writeCp(w, ch);
  } else if (verb == 113) {
    writeQuotedCp(w, ch, 39);
  } else {
    // Go formats the code point as uint64, so a negative one wraps around.
    const mag = integralU64(Math.abs(n));
    writeUnicode(w, n < 0 ? 0 - mag : mag);
    if (fSharp && valid) {
      wStatic(w, " '");
      writeCp(w, ch);
      wByte(w, 39);
    }
  }
  pad(w, start, false, 0);
  return true;
}

/** U+XXXX: upper-case hex digits, zero-padded to the precision (4 by default). */
function writeUnicode(w: usize, x: u64): void {
  wStatic(w, "U+");
  let nd: u32 = 1;
  for (let t = x >> 4; t != 0; t >>= 4) nd++;
  const width: u32 = fPrec >= 0 ? <u32>fPrec : 4;
  for (let i = nd; i < width; i++) wByte(w, 48);
  for (let i = <i32>nd - 1; i >= 0; i--) wByte(w, hexChar(<u32>(x >> ((<u64>i) << 2)), true));
}

function writeCp(w: usize, cp: u32): void {
  wAdvance(w, encodeCp(wReserve(w, 4), cp));
}

/** Go's strconv.Quote for one code point: named escapes, \xNN for other controls. */
function writeQuotedCp(w: usize, cp: u32, quote: u32): void {
  wByte(w, quote);
  writeEscapedCp(w, cp, quote);
  wByte(w, quote);
}

function writeEscapedCp(w: usize, cp: u32, quote: u32): void {
  let named: u32 = 0;
  if (cp == 7) named = 97;
  else if (cp == 8) named = 98;
  else if (cp == 12) named = 102;
  else if (cp == 10) named = 110;
  else if (cp == 13) named = 114;
  else if (cp == 9) named = 116;
  else if (cp == 11) named = 118;
  else if (cp == 92 || cp == quote) named = cp;
  if (named != 0) {
    wByte(w, 92);
    wByte(w, named);
  } else if (cp < 0x20 || cp == 0x7f) {
    wStatic(w, "\\x");
    wByte(w, hexDigit(cp >> 4));
    wByte(w, hexDigit(cp));
  } else {
    writeCp(w, cp);
  }
}

/** Bytes taken by the first `count` code points of the argument text. */
function prefixBytes(count: i32): u32 {
  if (count < 0) return aLen;
  let off: u32 = 0;
  for (let k: i32 = 0; off < aLen && k < count; k++) off += cpLen(aPtr + off);
  return off < aLen ? off : aLen;
}

function formatString(w: usize, verb: u32): bool {
  const start = wLen(w);
  const n = prefixBytes(fPrec);
  if (verb == 115 || verb == 118) {
    wBytes(w, aPtr, n);
  } else if (verb == 113) {
    wByte(w, 34);
    for (let off: u32 = 0; off < n; off += cpLen(aPtr + off)) {
      writeEscapedCp(w, decodeCp(aPtr + off), 34);
    }
    wByte(w, 34);
  } else if (verb == 120 || verb == 88) {
    if (fSharp) {
      wByte(w, 48);
      wByte(w, verb);
    }
    for (let i: u32 = 0; i < n; i++) {
      const b = <u32>load<u8>(aPtr + i);
      wByte(w, hexChar(b >> 4, verb == 88));
      wByte(w, hexChar(b, verb == 88));
    }
  } else {
    return false;
  }
  pad(w, start, false, 0);
  return true;
}

function hexChar(x: u32, upper: bool): u32 {
  const c = hexDigit(x);
  return upper && c > 57 ? c - 32 : c;
}

function formatFloatVerb(w: usize, verb: u32): bool {
  let kind: u32 = 0;
  if (verb == 101 || verb == 69) kind = 101;
  else if (verb == 102 || verb == 70) kind = 102;
  else if (verb == 103 || verb == 71 || verb == 118) kind = 103;
  if (kind == 0) return false;
  const start = wLen(w);
  const sign = writeSign(w, aNum < 0);
  const prec = fPrec >= 0 ? fPrec : kind == 103 ? -1 : 6;
  const bodyAt = wLen(w);
  formatFloat(w, Math.abs(aNum), kind, prec);
  if (verb == 69 || verb == 71) {
    const p = wBuf(w);
    for (let i = bodyAt; i < wLen(w); i++) if (load<u8>(p + i) == 101) store<u8>(p + i, 69);
  }
  // Go applies the precision to the digits, never to the padding.
  const prevPrec = fPrec;
  fPrec = -1;
  pad(w, start, true, sign);
  fPrec = prevPrec;
  return true;
}

/** Go's strconv.FormatFloat of a positive double for 'e', 'f', 'g' (prec -1: shortest). */
function formatFloat(w: usize, v: f64, kind: u32, prec: i32): void {
  if (kind == 102) {
    loadExact(v);
    roundDigits(digitsPoint() + prec);
    writeF(w, prec);
    return;
  }
  if (kind == 101) {
    if (prec < 0) {
      loadShortest(v);
      writeE(w, digitsCount() - 1);
    } else {
      loadExact(v);
      roundDigits(prec + 1);
      writeE(w, prec);
    }
    return;
  }
  const shortest = prec < 0;
  if (shortest) loadShortest(v);
  else {
    loadExact(v);
    roundDigits(prec == 0 ? 1 : prec);
  }
  const nd = digitsCount();
  const dp = digitsPoint();
  const p = shortest ? nd : prec == 0 ? 1 : prec;
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > nd && nd >= dp) eprec = nd;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    writeE(w, (p < nd ? p : nd) - 1);
    return;
  }
  const fd = (p > dp ? nd : p) - dp;
  writeF(w, fd > 0 ? fd : 0);
}

/** d.ddde±XX with `prec` fraction digits. */
function writeE(w: usize, prec: i32): void {
  wByte(w, digitsCount() > 0 ? digitAt(0) : 48);
  if (prec > 0) {
    wByte(w, 46);
    for (let i: i32 = 1; i <= prec; i++) wByte(w, digitAt(i));
  }
  wByte(w, 101);
  let exp = digitsPoint() - 1;
  wByte(w, exp < 0 ? 45 : 43);
  if (exp < 0) exp = -exp;
  if (exp >= 100) wByte(w, 48 + <u32>exp / 100);
  wByte(w, 48 + ((<u32>exp / 10) % 10));
  wByte(w, 48 + (<u32>exp % 10));
}

/** ddd.ddd with `prec` fraction digits. */
function writeF(w: usize, prec: i32): void {
  const dp = digitsPoint();
  if (dp > 0) for (let i: i32 = 0; i < dp; i++) wByte(w, digitAt(i));
  else wByte(w, 48);
  if (prec > 0) {
    wByte(w, 46);
    for (let i: i32 = 0; i < prec; i++) wByte(w, digitAt(dp + i));
  }
}
