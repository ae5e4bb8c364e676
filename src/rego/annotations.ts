// `# METADATA` annotations: a comment line `# METADATA` followed directly by comment lines
// holding YAML. Each block applies to the statement that follows it: the package
// (default scope "package") or a rule (default scope "rule"). Rule and document scoped
// annotations are kept on the rule; package, subpackages and document scoped ones are also
// listed on the module, so later stages find entrypoints and rule IDs in either place.
import { parseDocument } from "yaml";
import type { Annotation, Location, Module, Rule } from "./ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LexComment } from "./lexer.js";

type Scope = Annotation["scope"];
const SCOPES: readonly Scope[] = ["rule", "document", "package", "subpackages"];

interface Block {
  /** The `# METADATA` comment. */
  start: LexComment;
  /** The YAML comment lines after it. */
  lines: LexComment[];
  end: number;
}

type LocOf = (offset: number, end: number) => Location;

/** Parses every METADATA block and attaches it; returns the errors found. */
export function attachAnnotations(
  module: Module,
  comments: readonly LexComment[],
  text: string,
  locOf: LocOf,
): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const block of findBlocks(comments, text)) {
    if (insideRule(module.rules, block.start.offset)) continue;
    try {
      attach(module, block, parseBlock(block, locOf), locOf);
    } catch (err) {
      if (!(err instanceof AnnotationFailure)) throw err;
      errors.push(diagnostic("rego_parse_error", err.message, err.loc));
    }
  }
  return errors;
}

class AnnotationFailure extends Error {
  constructor(
    message: string,
    readonly loc: Location,
  ) {
    super(message);
  }
}

function isMetadataMarker(c: LexComment): boolean {
  return c.text.trim() === "METADATA";
}

/** A comment is alone on its line when only whitespace precedes it. */
function aloneOnLine(c: LexComment, text: string): boolean {
  for (let i = c.offset - 1; i >= 0; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 10) return true;
    if (ch !== 32 && ch !== 9 && ch !== 13) return false;
  }
  return true;
}

function findBlocks(comments: readonly LexComment[], text: string): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < comments.length; i++) {
    const start = comments[i] as LexComment;
    if (!isMetadataMarker(start) || !aloneOnLine(start, text)) continue;
    const lines: LexComment[] = [];
    let prev = start;
    for (let j = i + 1; j < comments.length; j++) {
      const c = comments[j] as LexComment;
      if (c.line !== prev.line + 1 || !aloneOnLine(c, text) || isMetadataMarker(c)) break;
      lines.push(c);
      prev = c;
    }
    blocks.push({ start, lines, end: prev.end });
    i += lines.length;
  }
  return blocks;
}

/** Index of the first item (in source order) that starts after `offset`. */
function firstAfter(items: readonly { loc: Location }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as { loc: Location }).loc.offset > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function insideRule(rules: readonly Rule[], offset: number): boolean {
  const before = rules[firstAfter(rules, offset) - 1];
  return before !== undefined && offset < before.loc.end;
}

type YamlOutcome =
  | { ok: true; value: unknown }
  | { ok: false; message: string; /** Index of the offending line, if known. */ line?: number };

// Policies are re-parsed often (fmt, check, build, tests, fuzzing) with the same blocks;
// YAML parsing dominates annotation cost, so outcomes are cached by block text.
const YAML_CACHE = new Map<string, YamlOutcome>();
const YAML_CACHE_LIMIT = 2048;

/** Forgets cached YAML outcomes (for benchmarks that must measure cold parsing). */
export function clearAnnotationCache(): void {
  YAML_CACHE.clear();
}

function readYaml(lines: readonly string[]): YamlOutcome {
  const text = lines.join("\n");
  const cached = YAML_CACHE.get(text);
  if (cached !== undefined) return cached;
  const outcome = parseYaml(text, lines);
  if (YAML_CACHE.size >= YAML_CACHE_LIMIT) YAML_CACHE.clear();
  YAML_CACHE.set(text, outcome);
  return outcome;
}

function parseYaml(text: string, lines: readonly string[]): YamlOutcome {
  const simple = readSimpleYaml(lines);
  if (simple !== undefined) return { ok: true, value: simple };
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, logLevel: "silent" });
  const first = doc.errors[0];
  if (first !== undefined) {
    return {
      ok: false,
      message: firstLine(first.message),
      line: lineOfOffset(lines, first.pos[0]),
    };
  }
  try {
    return { ok: true, value: doc.toJS() as unknown };
  } catch (err) {
    // Some problems (such as an alias to an undefined anchor) surface only here.
    return { ok: false, message: firstLine(err instanceof Error ? err.message : String(err)) };
  }
}

// Most METADATA blocks are flat `key: words` lines, one nested mapping (`custom:`) and
// flow lists of IDs. Those are read here directly, with exactly the meaning YAML gives
// them; anything else (quotes, numbers, block scalars, anchors, colons, comments...)
// returns undefined and goes to the YAML parser.
const SIMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
const NESTED_KEY = /^( +)([A-Za-z_][A-Za-z0-9_-]*): (.*)$/;
const PLAIN_WORDS = /^[A-Za-z][A-Za-z0-9 _.,;'()/+=?!-]*$/;
const FLOW_ITEM = /^[A-Za-z][A-Za-z0-9_./-]*$/;

/** The value of a simple block, or undefined when the block needs the YAML parser. */
export function readSimpleYaml(lines: readonly string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let nested: Record<string, unknown> | undefined;
  let nestedIndent: string | undefined;
  for (const line of lines) {
    const inner = NESTED_KEY.exec(line);
    if (inner !== null) {
      const [, indent, key, raw] = inner as unknown as [string, string, string, string];
      if (nested === undefined || (nestedIndent !== undefined && indent !== nestedIndent)) {
        return undefined;
      }
      nestedIndent = indent;
      const value = simpleValue(raw);
      if (value === undefined || key in nested || key === "__proto__") return undefined;
      nested[key] = value;
      continue;
    }
    const top = SIMPLE_KEY.exec(line);
    if (top === null) return undefined;
    const [, key, raw] = top as unknown as [string, string, string | undefined];
    if (key in out || key === "__proto__") return undefined;
    if (raw === undefined || raw === "") {
      nested = {};
      nestedIndent = undefined;
      out[key] = nested;
      continue;
    }
    const value = simpleValue(raw);
    if (value === undefined) return undefined;
    out[key] = value;
    nested = undefined;
  }
  // `key:` with nothing under it is null in YAML.
  for (const [key, value] of Object.entries(out)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      if (Object.keys(value).length === 0) out[key] = null;
    }
  }
  return out;
}

function simpleValue(raw: string): unknown {
  const text = raw.trimEnd();
  if (text.startsWith("[") && text.endsWith("]")) {
    const body = text.slice(1, -1).trim();
    if (body === "") return [];
    const items = body.split(",").map((x) => x.trim());
    if (!items.every((x) => FLOW_ITEM.test(x))) return undefined;
    return items.map(plainScalar);
  }
  if (text !== raw.trim() || !PLAIN_WORDS.test(text)) return undefined;
  return plainScalar(text);
}

/** YAML 1.2 core schema for words that start with a letter: booleans, null, else strings. */
function plainScalar(word: string): unknown {
  if (word === "true" || word === "True" || word === "TRUE") return true;
  if (word === "false" || word === "False" || word === "FALSE") return false;
  if (word === "null" || word === "Null" || word === "NULL") return null;
  return word;
}

function parseBlock(block: Block, locOf: LocOf): Record<string, unknown> {
  const loc = locOf(block.start.offset, block.end);
  // One leading space after `#` is the usual comment style, not YAML indentation.
  const yamlLines = block.lines.map((c) => (c.text.startsWith(" ") ? c.text.slice(1) : c.text));
  const outcome = readYaml(yamlLines);
  if (!outcome.ok) {
    const at = outcome.line === undefined ? undefined : block.lines[outcome.line];
    const where = at === undefined ? loc : locOf(at.offset, at.end);
    throw new AnnotationFailure(`invalid METADATA YAML: ${outcome.message}`, where);
  }
  const value = outcome.value;
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new AnnotationFailure("invalid METADATA: expected a YAML mapping of keys", loc);
  }
  // Each module gets its own copy: later stages may keep or change what they read.
  return structuredClone(value) as Record<string, unknown>;
}

function lineOfOffset(lines: readonly string[], offset: number): number {
  let remaining = offset;
  for (let i = 0; i < lines.length; i++) {
    remaining -= (lines[i] as string).length + 1;
    if (remaining < 0) return i;
  }
  return lines.length - 1;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function attach(module: Module, block: Block, raw: Record<string, unknown>, locOf: LocOf): void {
  const loc = locOf(block.start.offset, block.end);
  const target = nextStatement(module, block.end);
  if (target === undefined) {
    throw new AnnotationFailure("METADATA block must be followed by a rule or the package", loc);
  }
  const scope = readScope(raw, target === "package" ? "package" : "rule", loc);
  const annotation = buildAnnotation(raw, scope, loc);
  if (target === "package") {
    if (scope === "rule" || scope === "document") {
      throw new AnnotationFailure(`annotation scope "${scope}" must be applied to a rule`, loc);
    }
    module.annotations.push(annotation);
    return;
  }
  if (scope === "package" || scope === "subpackages") {
    throw new AnnotationFailure(
      `annotation scope "${scope}" must be applied to the package declaration`,
      loc,
    );
  }
  target.annotations.push(annotation);
  if (scope === "document") module.annotations.push(annotation);
}

function nextStatement(module: Module, after: number): Rule | "package" | undefined {
  if (module.package.loc.offset > after) return "package";
  const imp = module.imports[firstAfter(module.imports, after)];
  const rule = module.rules[firstAfter(module.rules, after)];
  if (imp !== undefined && (rule === undefined || imp.loc.offset < rule.loc.offset)) {
    return undefined;
  }
  return rule;
}

function readScope(raw: Record<string, unknown>, fallback: Scope, loc: Location): Scope {
  const scope = raw["scope"];
  if (scope === undefined) return fallback;
  if (typeof scope === "string" && (SCOPES as readonly string[]).includes(scope)) {
    return scope as Scope;
  }
  throw new AnnotationFailure(
    `invalid annotation scope ${JSON.stringify(scope)}: expected one of ${SCOPES.join(", ")}`,
    loc,
  );
}

function buildAnnotation(raw: Record<string, unknown>, scope: Scope, loc: Location): Annotation {
  const annotation: Annotation = { scope, raw, loc };
  const { title, description, entrypoint, custom } = raw;
  if (title !== undefined) annotation.title = expectString("title", title, loc);
  if (description !== undefined) {
    annotation.description = expectString("description", description, loc);
  }
  if (entrypoint !== undefined) {
    if (typeof entrypoint !== "boolean") {
      throw new AnnotationFailure('invalid METADATA: "entrypoint" must be true or false', loc);
    }
    annotation.entrypoint = entrypoint;
  }
  if (custom !== undefined) {
    if (custom === null || typeof custom !== "object" || Array.isArray(custom)) {
      throw new AnnotationFailure('invalid METADATA: "custom" must be a mapping', loc);
    }
    annotation.custom = custom as Record<string, unknown>;
  }
  return annotation;
}

function expectString(key: string, value: unknown, loc: Location): string {
  if (typeof value !== "string") {
    throw new AnnotationFailure(`invalid METADATA: "${key}" must be a string`, loc);
  }
  return value;
}
