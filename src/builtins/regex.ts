// Regular-expression builtins with Go's RE2 semantics, on JS RegExps translated by
// regex_translate.ts. Match enumeration follows Go's FindAll (an empty match right after
// the previous match is skipped), and replacement templates follow Go's Expand.
import type { Value } from "../value/value.js";
import { defineBuiltin, fail, intOperand, T } from "./define.js";
import { GlobSyntaxError, globsIntersect } from "./glob_intersect.js";
import { RegexSyntaxError, translateGoRegex } from "./regex_translate.js";
import type { Builtin } from "./registry.js";

const CACHE_LIMIT = 256;
const cache = new Map<string, RegExp>();

/** Compiles a Go pattern once; the result always has the `g` flag (use lastIndex). */
export function compileGoRegex(name: string, pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let re: RegExp;
  try {
    const t = translateGoRegex(pattern);
    re = new RegExp(t.source, t.flags + "g");
  } catch (e) {
    const reason =
      e instanceof RegexSyntaxError || e instanceof SyntaxError ? e.message : String(e);
    throw fail(name, `error parsing regexp: ${reason}: \`${pattern}\``);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/** Go's FindAll over a string; n < 0 means all. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(start);
      pos = start + (cp === undefined ? 1 : cp > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

function matches(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

/** Go's regexp.Split(s, -1). */
function split(re: RegExp, s: string, hasPattern: boolean): string[] {
  if (hasPattern && s === "") return [""];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, -1)) {
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown names are empty. */
function expand(template: string, m: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(template.slice(i + 1));
    const bare = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
    const name = braced?.[1] ?? bare?.[0];
    if (name === undefined) {
      out += "$";
      continue;
    }
    i += braced ? braced[0].length : name.length;
    out += groupValue(m, name);
  }
  return out;
}

function groupValue(m: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) return m[Number(name)] ?? "";
  return m.groups?.[name] ?? "";
}

function replaceAll(re: RegExp, s: string, template: string): string {
  let out = "";
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + expand(template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Braces at nesting level zero split the template into literal text and patterns. */
function templateToRegex(name: string, template: string, open: string, close: string): RegExp {
  let source = "";
  let level = 0;
  let start = 0;
  let literalStart = 0;
  for (let i = 0; i < template.length; i++) {
    if (template.startsWith(open, i)) {
      if (level === 0) {
        source += escapeGoLiteral(template.slice(literalStart, i));
        start = i + open.length;
      }
      level++;
      i += open.length - 1;
    } else if (template.startsWith(close, i)) {
      level--;
      if (level < 0) throw fail(name, `unbalanced braces in template: ${template}`);
      if (level === 0) {
        source += "(" + template.slice(start, i) + ")";
        literalStart = i + close.length;
      }
      i += close.length - 1;
    }
  }
  if (level !== 0) throw fail(name, `unbalanced braces in template: ${template}`);
  source += escapeGoLiteral(template.slice(literalStart));
  return compileGoRegex(name, "^" + source + "$");
}

/** OPA requires single-byte delimiters. */
function templateMatch([t, s, open, close]: Value[]): Value {
  const name = "regex.template_match";
  for (const [which, d] of [
    ["start", open as string],
    ["end", close as string],
  ] as const) {
    const length = Buffer.byteLength(d, "utf8");
    if (length !== 1) {
      throw fail(
        name,
        `${which} delimiter has to be exactly one character long but is ${length} long`,
      );
    }
  }
  const re = templateToRegex(name, t as string, open as string, close as string);
  return matches(re, s as string);
}

function escapeGoLiteral(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

function globsMatch([a, b]: Value[]): Value {
  try {
    return globsIntersect(a as string, b as string);
  } catch (e) {
    if (e instanceof GlobSyntaxError) throw fail("regex.globs_match", e.message);
    throw e;
  }
}

export const regexBuiltins: Builtin[] = [
  defineBuiltin({
    name: "regex.globs_match",
    args: [T.string, T.string],
    result: T.boolean,
    impl: globsMatch,
  }),
  defineBuiltin({
    name: "regex.match",
    args: [T.string, T.string],
    result: T.boolean,
    impl: ([p, s]) => matches(compileGoRegex("regex.match", p as string), s as string),
  }),
  defineBuiltin({
    name: "regex.is_valid",
    args: [T.string],
    result: T.boolean,
    anyOperands: true,
    impl: ([p]) => {
      if (typeof p !== "string") return false;
      try {
        compileGoRegex("regex.is_valid", p);
        return true;
      } catch {
        return false;
      }
    },
  }),
  defineBuiltin({
    name: "regex.split",
    args: [T.string, T.string],
    result: T.array(T.string),
    impl: ([p, s]) => split(compileGoRegex("regex.split", p as string), s as string, p !== ""),
  }),
  defineBuiltin({
    name: "regex.find_n",
    args: [T.string, T.string, T.number],
    result: T.array(T.string),
    impl: ([p, s, n]) =>
      findAll(
        compileGoRegex("regex.find_n", p as string),
        s as string,
        intOperand("regex.find_n", 3, n!),
      ).map((m) => m[0]),
  }),
  defineBuiltin({
    name: "regex.find_all_string_submatch_n",
    args: [T.string, T.string, T.number],
    result: T.array(T.array(T.string)),
    impl: ([p, s, n]) => {
      const name = "regex.find_all_string_submatch_n";
      return findAll(compileGoRegex(name, p as string), s as string, intOperand(name, 3, n!)).map(
        (m) => [...m].map((g) => g ?? ""),
      );
    },
  }),
  defineBuiltin({
    name: "regex.replace",
    args: [T.string, T.string, T.string],
    result: T.string,
    impl: ([s, p, v]) =>
      replaceAll(compileGoRegex("regex.replace", p as string), s as string, v as string),
  }),
  defineBuiltin({
    name: "regex.template_match",
    args: [T.string, T.string, T.string, T.string],
    result: T.boolean,
    impl: templateMatch,
  }),
];
