// String builtins. Positions and lengths count Unicode code points, as OPA counts runes.
import { RegoObject, typeName, type Value } from "../value/value.js";
import {
  defineBuiltin,
  fail,
  integralBigInt,
  intOperand,
  operandError,
  stringElements,
  T,
  TT,
} from "./define.js";
import { goSprintf } from "./sprintf.js";
import type { Builtin, TypeDecl } from "./registry.js";

const codePoints = (s: string): string[] => [...s];

function fn(
  name: string,
  args: TypeDecl[],
  result: TypeDecl,
  impl: (args: Value[]) => Value | undefined,
): Builtin {
  return defineBuiltin({ name, args, result, impl });
}

function str2(name: string, result: TypeDecl, f: (a: string, b: string) => Value): Builtin {
  return fn(name, [T.string, T.string], result, ([a, b]) => f(a as string, b as string));
}

function str1(name: string, f: (a: string) => Value): Builtin {
  return fn(name, [T.string], T.string, ([a]) => f(a as string));
}

/**
 * Greek small letters with ypogegrammeni: their full uppercase is two letters (so JS gives
 * two), their simple uppercase, which Go uses, is the capital with prosgegrammeni.
 */
const GREEK_IOTA_SUBSCRIPT: ReadonlyMap<number, number> = new Map([
  ...[0x1f80, 0x1f90, 0x1fa0].flatMap((base) =>
    Array.from({ length: 8 }, (_, i): [number, number] => [base + i, base + i + 8]),
  ),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);

/**
 * Cased letters added after Unicode 15, the version of Go's tables (OPA's): Go leaves them
 * unchanged, while the JS engine's newer ICU may map them (e.g. U+019B to U+A7DC).
 */
function newerThanGo(cp: number): boolean {
  return (
    cp === 0x1c89 ||
    cp === 0x1c8a ||
    (cp >= 0xa7cb && cp <= 0xa7cf) ||
    (cp >= 0xa7d2 && cp <= 0xa7d5) ||
    (cp >= 0xa7da && cp <= 0xa7dc) ||
    (cp >= 0x10d50 && cp <= 0x10d85) ||
    (cp >= 0x16ea0 && cp <= 0x16ed3)
  );
}

/**
 * Go's strings.ToUpper/ToLower use the simple (one code point to one) case mapping: "ß"
 * stays "ß" where JavaScript's full mapping gives "SS". U+0130 is the one character whose
 * simple lowercase differs from the first code point of its full one.
 */
function simpleCase(s: string, upper: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (const c of s) {
    if (!upper && c === "\u0130") {
      out += "i";
      continue;
    }
    const code = c.codePointAt(0)!;
    if (upper && GREEK_IOTA_SUBSCRIPT.has(code)) {
      out += String.fromCodePoint(GREEK_IOTA_SUBSCRIPT.get(code)!);
      continue;
    }
    const mapped = upper ? c.toUpperCase() : c.toLowerCase();
    const single = [...mapped].length === 1;
    out += single && !newerThanGo(code) && !newerThanGo(mapped.codePointAt(0)!) ? mapped : c;
  }
  return out;
}

/** Go's unicode.IsSpace. */
const GO_SPACE =
  "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

function trimChars(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && cut.has(cps[start]!)) start++;
  if (right) while (end > start && cut.has(cps[end - 1]!)) end--;
  return cps.slice(start, end).join("");
}

/** Go's strings.Split: an empty separator splits into code points. */
function split(s: string, sep: string): Value {
  return sep === "" ? codePoints(s) : s.split(sep);
}

/** Go's strings.ReplaceAll: an empty `old` inserts `new` around every code point. */
function replaceAll(s: string, old: string, repl: string): string {
  if (old === "") return repl + codePoints(s).join(repl) + (s === "" ? "" : repl);
  return s.split(old).join(repl);
}

function substring([s, start, length]: Value[]): Value {
  const name = "substring";
  const cps = codePoints(s as string);
  const from = intOperand(name, 2, start!);
  const len = intOperand(name, 3, length!);
  if (from < 0) throw fail(name, "negative offset");
  if (from >= cps.length) return "";
  const to = len < 0 ? cps.length : Math.min(cps.length, from + len);
  return cps.slice(from, to).join("");
}

/** Index in code points of each position where `search` starts (overlapping). */
function codePointIndexes(name: string, s: string, search: string, firstOnly: boolean): number[] {
  if (search === "") throw fail(name, "empty search character");
  const cps = codePoints(s);
  const pat = codePoints(search);
  const out: number[] = [];
  for (let i = 0; i + pat.length <= cps.length; i++) {
    if (pat.every((c, j) => cps[i + j] === c)) {
      out.push(i);
      if (firstOnly) break;
    }
  }
  return out;
}

function formatInt([n, b]: Value[]): Value {
  const base = intOperand("format_int", 2, b!);
  if (![2, 8, 10, 16].includes(base))
    throw fail("format_int", "operand 2 must be one of {2, 8, 10, 16}");
  return integralBigInt(Math.trunc(n as number)).toString(base);
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber([v]: Value[]): Value {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  const s = v as string;
  if (!NUMBER_TEXT.test(s)) throw fail("to_number", `invalid syntax: ${JSON.stringify(s)}`);
  const n = Number(s);
  if (!Number.isFinite(n)) throw fail("to_number", `value out of range: ${JSON.stringify(s)}`);
  return n === 0 ? 0 : n;
}

function concat([sep, coll]: Value[]): Value {
  return stringElements("concat", 2, coll!).join(sep as string);
}

/**
 * Go's strings.NewReplacer: scanning left to right, the first pattern (in key order)
 * that matches at a position wins; replaced text is not rescanned.
 */
function replaceN([patterns, s]: Value[]): Value {
  const pairs: [string, string][] = [];
  for (const [k, v] of (patterns as RegoObject).entries()) {
    if (typeof k !== "string")
      throw operandError("strings.replace_n", 1, ["object[string: string]"], typeName(k));
    if (typeof v !== "string")
      throw operandError("strings.replace_n", 1, ["object[string: string]"], typeName(v));
    pairs.push([k, v]);
  }
  const text = s as string;
  let out = "";
  let i = 0;
  while (i <= text.length) {
    const hit = pairs.find(([k]) => text.startsWith(k, i));
    if (hit !== undefined) {
      out += hit[1];
      if (hit[0].length > 0) {
        i += hit[0].length;
        continue;
      }
    }
    if (i === text.length) break;
    const cp = String.fromCodePoint(text.codePointAt(i)!);
    out += cp;
    i += cp.length;
  }
  return out;
}

export function stringsOf(name: string, pos: number, v: Value): string[] {
  if (typeof v === "string") return [v];
  return stringElements(name, pos, v);
}

function anyMatch(name: string, test: (s: string, affix: string) => boolean): Builtin {
  const arg = T.anyOf(T.string, T.array(T.string), T.set(T.string));
  return fn(name, [arg, arg], T.boolean, ([search, base]) => {
    const ss = stringsOf(name, 1, search!);
    const bs = stringsOf(name, 2, base!);
    return ss.some((s) => bs.some((b) => test(s, b)));
  });
}

/** Go's strings.Count: non-overlapping; an empty substring counts code points + 1. */
function countOccurrences(s: string, sub: string): number {
  if (sub === "") return codePoints(s).length + 1;
  return s.split(sub).length - 1;
}

function sprintf([format, args]: Value[]): Value {
  return goSprintf(format as string, args as Value[]);
}

export const stringBuiltins: Builtin[] = [
  fn("concat", [T.string, TT.arrayOrSet(T.string)], T.string, concat),
  str2("contains", T.boolean, (a, b) => a.includes(b)),
  str2("startswith", T.boolean, (a, b) => a.startsWith(b)),
  str2("endswith", T.boolean, (a, b) => a.endsWith(b)),
  str1("lower", (s) => simpleCase(s, false)),
  str1("upper", (s) => simpleCase(s, true)),
  str2("split", T.array(T.string), split),
  str2("trim", T.string, (s, c) => trimChars(s, c, true, true)),
  str2("trim_left", T.string, (s, c) => trimChars(s, c, true, false)),
  str2("trim_right", T.string, (s, c) => trimChars(s, c, false, true)),
  str2("trim_prefix", T.string, (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
  str2("trim_suffix", T.string, (s, p) =>
    p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s,
  ),
  str1("trim_space", (s) => trimChars(s, GO_SPACE, true, true)),
  fn("replace", [T.string, T.string, T.string], T.string, ([s, o, n]) =>
    replaceAll(s as string, o as string, n as string),
  ),
  fn("substring", [T.string, T.number, T.number], T.string, substring),
  str2("indexof", T.number, (s, x) => codePointIndexes("indexof", s, x, true)[0] ?? -1),
  str2("indexof_n", T.array(T.number), (s, x) => codePointIndexes("indexof_n", s, x, false)),
  fn("format_int", [T.number, T.number], T.string, formatInt),
  fn("to_number", [T.anyOf(T.null, T.boolean, T.number, T.string)], T.number, toNumber),
  fn("sprintf", [T.string, T.array()], T.string, sprintf),
  str1("strings.reverse", (s) => codePoints(s).reverse().join("")),
  fn("strings.replace_n", [T.object(T.string, T.string), T.string], T.string, replaceN),
  anyMatch("strings.any_prefix_match", (s, p) => s.startsWith(p)),
  anyMatch("strings.any_suffix_match", (s, p) => s.endsWith(p)),
  str2("strings.count", T.number, countOccurrences),
];
