// `sprintf` as OPA computes it: Go's fmt.Sprintf over arguments converted the way OPA
// converts them — integral numbers become int64 (*big.Int beyond its range), other numbers
// float64, strings stay strings, and every other value is passed as its Rego text
// (`{"a": 1}`, `{1, 2}`).
// The result is therefore Go's, including its `%!verb(type=value)` error notations.
import { type Value } from "../value/value.js";
import { integralBigInt, regoString } from "./define.js";

type GoArg =
  | { kind: "int64"; v: bigint }
  | { kind: "bigint"; v: bigint }
  | { kind: "float"; v: number }
  | { kind: "string"; v: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

export function toGoArg(v: Value): GoArg {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return { kind: "float", v };
    const n = integralBigInt(v);
    return n >= INT64_MIN && n <= INT64_MAX ? { kind: "int64", v: n } : { kind: "bigint", v: n };
  }
  if (typeof v === "string") return { kind: "string", v };
  return { kind: "string", v: regoString(v) };
}

const GO_TYPE: Record<GoArg["kind"], string> = {
  int64: "int64",
  bigint: "*big.Int",
  float: "float64",
  string: "string",
};

export function goSprintf(format: string, values: readonly Value[]): string {
  const args = values.map(toGoArg);
  let argi = 0;
  let out = "";
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") spec.minus = true;
      else if (c === "+") spec.plus = true;
      else if (c === "#") spec.sharp = true;
      else if (c === " ") spec.space = true;
      else if (c === "0") spec.zero = true;
      else break;
    }
    const width = readNumber(format, i);
    if (width) {
      spec.width = width.n;
      i = width.end;
    }
    if (format[i] === ".") {
      const prec = readNumber(format, i + 1);
      spec.prec = prec ? prec.n : 0;
      i = prec ? prec.end : i + 1;
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    const arg = args[argi++];
    if (arg === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(arg, verb, spec);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((a) => `${GO_TYPE[a.kind]}=${plainValue(a)}`);
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}

/**
 * A width or precision. Like Go, a number that grows past 10^6 swallows the rest of the
 * format (which then ends without a verb).
 */
function readNumber(s: string, from: number): { n: number; end: number } | undefined {
  let end = from;
  let n = 0;
  while (end < s.length && s[end]! >= "0" && s[end]! <= "9") {
    if (n > 1e6) return { n: 0, end: s.length };
    n = n * 10 + Number(s[end]);
    end++;
  }
  return end === from ? undefined : { n, end };
}

function plainValue(a: GoArg): string {
  if (a.kind === "int64" || a.kind === "bigint") return a.v.toString();
  if (a.kind === "float") return (a.v < 0 ? "-" : "") + formatFloat(Math.abs(a.v), "g", undefined);
  return a.v;
}

function badVerb(a: GoArg, verb: string): string {
  // *big.Int reports bad verbs itself, without the pointer star.
  const type = a.kind === "bigint" ? "big.Int" : GO_TYPE[a.kind];
  return `%!${verb}(${type}=${plainValue(a)})`;
}

function formatArg(a: GoArg, verb: string, spec: Spec): string {
  if (verb === "T") return pad(GO_TYPE[a.kind], spec, false);
  switch (a.kind) {
    case "int64":
      return formatInt64(a.v, verb, spec) ?? badVerb(a, verb);
    case "bigint":
      return formatInt(a.v, verb, spec, BIG_INT_BASES) ?? badVerb(a, verb);
    case "float":
      return formatFloatVerb(a.v, verb, spec) ?? badVerb(a, verb);
    case "string":
      return formatString(a.v, verb, spec) ?? badVerb(a, verb);
  }
}

/** Pads to the width: left-justified with `-`, zero-filled after the sign with `0`. */
function pad(body: string, spec: Spec, numeric: boolean, signLen = 0): string {
  const width = spec.width ?? 0;
  const len = [...body].length;
  if (len >= width) return body;
  const fill = width - len;
  if (spec.minus) return body + " ".repeat(fill);
  if (spec.zero && (!numeric || spec.prec === undefined)) {
    return body.slice(0, signLen) + "0".repeat(fill) + body.slice(signLen);
  }
  return " ".repeat(fill) + body;
}

function signOf(negative: boolean, spec: Spec): string {
  return negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
}

/** The verbs Go's int64 and *big.Int formatters accept, with their bases. */
const INT64_BASES: Record<string, number> = { b: 2, o: 8, O: 8, d: 10, v: 10, x: 16, X: 16 };
const BIG_INT_BASES: Record<string, number> = { ...INT64_BASES, s: 10 };

/** int64 also prints as a character (`%c`), a quoted character (`%q`) or `U+0041` (`%U`). */
function formatInt64(v: bigint, verb: string, spec: Spec): string | undefined {
  if (verb === "c" || verb === "q" || verb === "U") {
    const n = Number(v);
    const valid = n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
    const ch = valid ? String.fromCodePoint(n) : "\ufffd";
    if (verb === "c") return pad(ch, spec, false);
    if (verb === "q") return pad(goQuote(ch, "'"), spec, false);
    // Go formats the code point as uint64, so a negative one wraps around.
    const hex =
      "U+" +
      BigInt.asUintN(64, v)
        .toString(16)
        .toUpperCase()
        .padStart(spec.prec ?? 4, "0");
    return pad(spec.sharp && valid ? `${hex} '${ch}'` : hex, spec, false);
  }
  return formatInt(v, verb, spec, INT64_BASES);
}

function formatInt(
  v: bigint,
  verb: string,
  spec: Spec,
  bases: Record<string, number>,
): string | undefined {
  const base = bases[verb];
  if (base === undefined) return undefined;
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString(base);
  if (verb === "X") digits = digits.toUpperCase();
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && v === 0n ? "" : digits.padStart(spec.prec, "0");
  }
  let prefix = "";
  if (verb === "O") prefix = "0o";
  else if (spec.sharp) {
    if (verb === "b") prefix = "0b";
    else if (verb === "o" && !digits.startsWith("0")) prefix = "0";
    else if (verb === "x") prefix = "0x";
    else if (verb === "X") prefix = "0X";
  }
  const head = signOf(negative, spec) + prefix;
  return pad(head + digits, spec, true, head.length);
}

function formatFloatVerb(v: number, verb: string, spec: Spec): string | undefined {
  const kinds: Record<string, "e" | "f" | "g"> = {
    e: "e",
    E: "e",
    f: "f",
    F: "f",
    g: "g",
    G: "g",
    v: "g",
  };
  const kind = kinds[verb];
  if (kind === undefined) return undefined;
  const prec = spec.prec ?? (kind === "g" ? undefined : 6);
  let body = formatFloat(Math.abs(v), kind, prec);
  if (verb === "E" || verb === "G") body = body.toUpperCase();
  const sign = signOf(v < 0, spec);
  return pad(sign + body, { ...spec, prec: undefined }, true, sign.length);
}

interface Digits {
  /** Significant digits without trailing zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to the first digit. */
  dp: number;
}

/** Shortest round-trip digits of a positive double (Go and JS agree on these). */
function shortestDigits(v: number): Digits {
  const [mant, exp] = v.toExponential().split("e");
  return { d: mant!.replace(".", "").replace(/0+$/, ""), dp: Number(exp) + 1 };
}

/** The exact decimal expansion of a positive double: it is mant × 2^e for integers. */
function exactDigits(v: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  const text = e >= 0 ? (mant << BigInt(e)).toString() : (mant * 5n ** BigInt(-e)).toString();
  const dp = e >= 0 ? text.length : text.length + e;
  return { d: text.replace(/0+$/, ""), dp };
}

/** Keeps n significant digits, halves to even, as Go's strconv rounds exact values. */
function roundDigits({ d, dp }: Digits, n: number): Digits {
  if (n < 0) return { d: "", dp };
  if (d.length <= n) return { d, dp };
  const next = d[n]!;
  const rest = d.slice(n + 1);
  const lastOdd = n > 0 && Number(d[n - 1]) % 2 === 1;
  const up = next > "5" || (next === "5" && (/[1-9]/.test(rest) || lastOdd));
  const head = d.slice(0, n).split("").map(Number);
  if (up) {
    let i = head.length - 1;
    while (i >= 0 && head[i] === 9) head[i--] = 0;
    if (i < 0) {
      head.unshift(1);
      dp += 1;
    } else head[i]! += 1;
  }
  return { d: head.join("").replace(/0+$/, ""), dp };
}

function fmtE(d: string, dp: number, prec: number): string {
  const frac = d.slice(1).padEnd(prec, "0").slice(0, prec);
  const exp = dp - 1;
  const e = (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  return (d[0] ?? "0") + (prec > 0 ? "." + frac : "") + "e" + e;
}

function fmtF(d: string, dp: number, prec: number): string {
  const intPart = dp > 0 ? d.slice(0, dp).padEnd(dp, "0") : "0";
  let frac = "";
  for (let i = 0; i < prec; i++) {
    const pos = dp + i;
    frac += pos >= 0 && pos < d.length ? d[pos] : "0";
  }
  return intPart + (prec > 0 ? "." + frac : "");
}

/** Go's strconv.FormatFloat for 'e', 'f' and 'g' (shortest when prec is undefined). */
export function formatFloat(v: number, kind: "e" | "f" | "g", prec: number | undefined): string {
  if (kind === "f") {
    const p = prec ?? 6;
    const exact = exactDigits(v);
    const { d, dp } = roundDigits(exact, exact.dp + p);
    return fmtF(d, dp, p);
  }
  if (kind === "e") {
    if (prec === undefined) {
      const { d, dp } = shortestDigits(v);
      return fmtE(d, dp, d.length - 1);
    }
    const { d, dp } = roundDigits(exactDigits(v), prec + 1);
    return fmtE(d, dp, prec);
  }
  const shortest = prec === undefined;
  const { d, dp } = shortest
    ? shortestDigits(v)
    : roundDigits(exactDigits(v), prec === 0 ? 1 : prec);
  const p = shortest ? d.length : prec === 0 ? 1 : prec;
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > d.length && d.length >= dp) eprec = d.length;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) return fmtE(d, dp, Math.min(p, d.length) - 1);
  return fmtF(d, dp, Math.max((p > dp ? d.length : p) - dp, 0));
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  let body: string;
  const text = spec.prec === undefined ? s : [...s].slice(0, spec.prec).join("");
  switch (verb) {
    case "s":
    case "v":
      body = text;
      break;
    case "q":
      body = goQuote(text, '"');
      break;
    case "x":
    case "X": {
      const hex = Buffer.from(text, "utf8").toString("hex");
      body = (spec.sharp ? "0" + verb : "") + (verb === "X" ? hex.toUpperCase() : hex);
      break;
    }
    default:
      return undefined;
  }
  return pad(body, spec, false);
}

/** Go's strconv.Quote for printable text and the common escapes. */
function goQuote(s: string, quote: '"' | "'"): string {
  const named: Record<string, string> = {
    "\u0007": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
  };
  named[quote] = "\\" + quote;
  let out: string = quote;
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += c;
  }
  return out + quote;
}
