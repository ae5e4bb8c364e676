// units.parse (SI and binary suffixes; `m` is milli and `M` mega) and units.parse_bytes,
// computed exactly on decimals (BigInt mantissa and exponent) as OPA does with big.Rat,
// so "1.1K" is 1100 and not 1100.0000000000002.
import type { Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

const KI = 1n << 10n;
const SI: Record<string, bigint> = {
  k: 1000n,
  m: 10n ** 6n,
  g: 10n ** 9n,
  t: 10n ** 12n,
  p: 10n ** 15n,
  e: 10n ** 18n,
};
const BINARY: Record<string, bigint> = {
  ki: KI,
  mi: KI ** 2n,
  gi: KI ** 3n,
  ti: KI ** 4n,
  pi: KI ** 5n,
  ei: KI ** 6n,
};

const MAX_EXPONENT_DIGITS = 6;

/**
 * Splits "10.5Ki" into amount and unit. Digits, `.`, signs and an `e` followed by a digit
 * or sign belong to the amount; an exponent longer than six digits is refused.
 */
function splitAmount(s: string): { num: string; unit: string } | "exponent too large" {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (/[0-9.+-]/.test(c)) continue;
    if (c !== "e" && c !== "E") return { num: s.slice(0, i), unit: s.slice(i) };
    const next = s[i + 1];
    if (next === undefined || !/[0-9+-]/.test(next))
      return { num: s.slice(0, i), unit: s.slice(i) };
    if (next === "+" || next === "-") i++;
    let end = i + 1;
    while (end < s.length && /[0-9]/.test(s[end]!)) end++;
    if (end - (i + 1) > MAX_EXPONENT_DIGITS) return "exponent too large";
  }
  return { num: s, unit: "" };
}

/** A decimal as mantissa × 10^exponent, or undefined when it is not a number. */
function parseDecimal(text: string): { m: bigint; e: number } | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = "", frac = "", exp = "0"] = match;
  if (whole === "" && frac === "") return undefined;
  const m = BigInt((sign === "-" ? "-" : "") + (whole + frac || "0"));
  return { m, e: Number(exp) - frac.length };
}

/** m × 10^e × factor ÷ divisor as a number: exact for integers, else rounded to 10 places. */
function scaled(
  d: { m: bigint; e: number },
  factor: bigint,
  divisor: bigint,
  truncate: boolean,
): number {
  let num = d.m * factor;
  let den = divisor;
  if (d.e >= 0) num *= 10n ** BigInt(d.e);
  else den *= 10n ** BigInt(-d.e);
  if (truncate || num % den === 0n) return Number(num / den);
  // big.Rat's FloatString(10): ten decimals, halves away from zero.
  const scale = 10n ** 10n;
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (abs * scale * 2n + den) / (2n * den);
  const text = (q / scale).toString() + "." + (q % scale).toString().padStart(10, "0");
  return Number((neg ? "-" : "") + text);
}

function parseUnits([v]: Value[]): Value {
  const name = "units.parse";
  const s = (v as string).replaceAll('"', "");
  if (s.includes(" ")) throw fail(name, "spaces not allowed in resource strings");
  const split = splitAmount(s);
  if (split === "exponent too large") throw fail(name, split);
  if (split.num === "") throw fail(name, "no amount provided");
  // Only the first letter keeps its case, so that `m` (milli) and `M` (mega) differ.
  const unit =
    split.unit.length > 1 ? split.unit[0] + split.unit.slice(1).toLowerCase() : split.unit;
  let factor = 1n;
  let divisor = 1n;
  if (unit === "m") divisor = 1000n;
  else if (unit === "M") factor = SI.m!;
  else if (unit !== "") {
    const lower = unit.toLowerCase();
    const known = unit.length === 1 ? (lower === "m" ? undefined : SI[lower]) : BINARY[lower];
    if (known === undefined) throw fail(name, `unit ${unit} not recognized`);
    factor = known;
  }
  const d = parseDecimal(split.num);
  if (d === undefined) throw fail(name, "could not parse amount to a number");
  return scaled(d, factor, divisor, false);
}

function parseBytes([v]: Value[]): Value {
  const name = "units.parse_bytes";
  const s = (v as string).toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) throw fail(name, "spaces not allowed in resource strings");
  const split = splitAmount(s);
  if (split === "exponent too large") throw fail(name, split);
  if (split.num === "") throw fail(name, "no byte amount provided");
  const unit = split.unit;
  const base = unit.endsWith("b") ? unit.slice(0, -1) : unit;
  // A bare "b" is not a unit in OPA: only "", k, kb, ki, kib, ... are.
  const factor = unit === "" ? 1n : unit === "b" ? undefined : (BINARY[base] ?? SI[base]);
  if (factor === undefined) throw fail(name, `byte unit ${unit} not recognized`);
  const d = parseDecimal(split.num);
  if (d === undefined) throw fail(name, "could not parse byte amount to a number");
  return scaled(d, factor, 1n, true);
}

export const unitBuiltins: Builtin[] = [
  defineBuiltin({ name: "units.parse", args: [T.string], result: T.number, impl: parseUnits }),
  defineBuiltin({
    name: "units.parse_bytes",
    args: [T.string],
    result: T.number,
    impl: parseBytes,
  }),
];
