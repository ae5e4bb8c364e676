// glob.match with the syntax of the gobwas/glob library OPA uses: `*` (any run of
// non-delimiters), `**` (any run), `?` (one non-delimiter), `[abc]`, `[a-z]`, `[!a-z]`,
// `{alt1,alt2}` and `\` escapes. Patterns compile to anchored JS RegExps.
import { RegoSet, typeName, type Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

const SPECIAL = new Set([..."*?\\[]{}"]);

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** Inside a `u`-mode class only these need escaping, and `-` must be. */
function escapeInClass(s: string): string {
  return s.replace(/[\\\][^-]/g, "\\$&");
}

class GlobCompiler {
  private i = 0;
  constructor(
    private readonly p: string,
    private readonly notDelim: string,
  ) {}

  compile(): string {
    const out = this.sequence(false);
    if (this.i < this.p.length) throw new Error(`unexpected '${this.p[this.i]}'`);
    return out;
  }

  /** Reads until the end, or (inside braces) until `,` or `}`. */
  private sequence(inBraces: boolean): string {
    let out = "";
    while (this.i < this.p.length) {
      const c = this.p[this.i]!;
      if (inBraces && (c === "," || c === "}")) return out;
      if (c === "*") {
        if (this.p[this.i + 1] === "*") {
          out += "[^]*";
          this.i += 2;
        } else {
          out += this.notDelim + "*";
          this.i++;
        }
      } else if (c === "?") {
        out += this.notDelim;
        this.i++;
      } else if (c === "[") out += this.range();
      else if (c === "{") out += this.alternatives();
      else if (c === "\\") {
        const next = this.p[this.i + 1];
        if (next === undefined) throw new Error("unexpected end of pattern after escape");
        out += escapeRegex(next);
        this.i += 2;
      } else if (c === "]" || c === "}") {
        throw new Error(`unexpected '${c}'`);
      } else {
        const cp = String.fromCodePoint(this.p.codePointAt(this.i)!);
        out += escapeRegex(cp);
        this.i += cp.length;
      }
    }
    if (inBraces) throw new Error("unclosed '{'");
    return out;
  }

  private alternatives(): string {
    this.i++;
    const alts: string[] = [];
    for (;;) {
      alts.push(this.sequence(true));
      const c = this.p[this.i];
      this.i++;
      if (c === "}") break;
    }
    return "(?:" + alts.join("|") + ")";
  }

  private range(): string {
    this.i++;
    let negated = false;
    if (this.p[this.i] === "!") {
      negated = true;
      this.i++;
    }
    const chars: string[] = [];
    while (this.i < this.p.length && this.p[this.i] !== "]") {
      const cp = String.fromCodePoint(this.p.codePointAt(this.i)!);
      this.i += cp.length;
      if (this.p[this.i] === "-" && this.p[this.i + 1] !== "]" && this.i + 1 < this.p.length) {
        const hi = String.fromCodePoint(this.p.codePointAt(this.i + 1)!);
        this.i += 1 + hi.length;
        if (hi.codePointAt(0)! < cp.codePointAt(0)!) throw new Error("invalid range");
        chars.push(escapeInClass(cp) + "-" + escapeInClass(hi));
      } else {
        chars.push(escapeInClass(cp));
      }
    }
    if (this.p[this.i] !== "]") throw new Error("unclosed '['");
    this.i++;
    if (chars.length === 0) throw new Error("empty range");
    return "[" + (negated ? "^" : "") + chars.join("") + "]";
  }
}

const cache = new Map<string, RegExp>();

export function compileGlob(pattern: string, delimiters: readonly string[]): RegExp {
  const key = JSON.stringify([pattern, delimiters]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const notDelim =
    delimiters.length === 0 ? "[^]" : "[^" + delimiters.map(escapeInClass).join("") + "]";
  const re = new RegExp("^" + new GlobCompiler(pattern, notDelim).compile() + "$", "u");
  if (cache.size > 256) cache.clear();
  cache.set(key, re);
  return re;
}

/** `null` means no delimiters; an empty array means the default `["."]`. */
function delimitersOf(v: Value): string[] {
  if (v === null) return [];
  const items = Array.isArray(v) ? v : v instanceof RegoSet ? [...v.values()] : undefined;
  if (items === undefined)
    throw fail("glob.match", `operand 2 must be one of {array, null} but got ${typeName(v)}`);
  const out: string[] = [];
  for (const d of items) {
    if (typeof d !== "string")
      throw fail("glob.match", `operand 2 must be array of strings but got ${typeName(d)}`);
    out.push(...d);
  }
  return out.length === 0 ? ["."] : out;
}

function globMatch([pattern, delims, s]: Value[]): Value {
  let re: RegExp;
  try {
    re = compileGlob(pattern as string, delimitersOf(delims!));
  } catch (e) {
    if (e instanceof Error && e.name === "BuiltinError") throw e;
    throw fail("glob.match", `invalid glob pattern: ${e instanceof Error ? e.message : String(e)}`);
  }
  return re.test(s as string);
}

export const globBuiltins: Builtin[] = [
  defineBuiltin({
    name: "glob.match",
    args: [T.string, T.anyOf(T.null, T.array(T.string)), T.string],
    result: T.boolean,
    impl: globMatch,
  }),
  defineBuiltin({
    name: "glob.quote_meta",
    args: [T.string],
    result: T.string,
    impl: ([s]) => [...(s as string)].map((c) => (SPECIAL.has(c) ? "\\" + c : c)).join(""),
  }),
];
