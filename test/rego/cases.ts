// Loader for the Rego language case suite (test/rego/*.yaml). Both engines run every case
// through this loader: the Wasm runner (compiled module through @open-policy-agent/opa-wasm)
// and the reference-evaluator runner. The expected results are OPA 1.x's.
//
// Conventions every runner follows:
// - Module i of a case (0-based index into `modules`) is compiled under the file name
//   `module<i>.rego` (see `moduleFileName`); `wantCompileError.line`/`col` refer to
//   `module0.rego` (1-based line, 1-based column in code points), as OPA reports them.
// - `entrypoint` is a slash-separated path below `data` (OPA's Wasm entrypoint name):
//   `test/p` is `data.test.p`.
// - `input` absent means input is undefined. A top-level input that JavaScript treats as
//   false (null, false, 0, "") is rejected here, because the OPA Wasm SDK's `evaluate`
//   silently drops such inputs and the two engines would then disagree about the case.
// - `want` is the JSON form of the value: sets are sorted arrays (OPA's value order),
//   object keys are strings. A case has exactly one of `want`, `want_undefined: true`,
//   `want_error` (evaluation error: code plus a substring of the message) or
//   `want_compile_error` (static error: code, message substring, optional line/col; the
//   compile fails and at least one of its diagnostics matches). An empty message substring
//   matches any message.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

export interface WantError {
  code: string;
  message: string;
  /** Where the error is raised, in module0.rego (evaluation errors included). */
  line?: number;
  col?: number;
}

export type WantCompileError = WantError;

export interface RegoCase {
  /** Case file name, e.g. `scalars.yaml`. */
  file: string;
  /** Unique across the whole suite. */
  name: string;
  /** Rego sources; module i is named `module<i>.rego`. */
  modules: string[];
  /** Base data (a JSON object), if any. */
  data?: unknown;
  /** Input document; absent means undefined. */
  input?: unknown;
  /** Slash-separated path below `data`, e.g. `test/p`. */
  entrypoint: string;
  want?: unknown;
  wantUndefined?: boolean;
  wantError?: WantError;
  wantCompileError?: WantCompileError;
}

/** Evaluation error codes a case may expect (OPA's topdown codes). */
export const EVAL_ERROR_CODES: readonly string[] = [
  "eval_conflict_error",
  "eval_type_error",
  "eval_builtin_error",
];

/** Static error codes a case may expect (OPA's compiler codes). */
export const COMPILE_ERROR_CODES: readonly string[] = [
  "rego_parse_error",
  "rego_unsafe_var_error",
  "rego_type_error",
  "rego_recursion_error",
  "rego_compile_error",
];

const CASE_KEYS = new Set([
  "name",
  "modules",
  "data",
  "input",
  "entrypoint",
  "want",
  "want_undefined",
  "want_error",
  "want_compile_error",
]);
const EXPECTATION_KEYS = ["want", "want_undefined", "want_error", "want_compile_error"] as const;
const ENTRYPOINT_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A malformed case file; the message names the file and, when known, the case. */
export class CaseFileError extends Error {
  override name = "CaseFileError";
}

/** The file name a runner gives to module `index` of a case. */
export function moduleFileName(index: number): string {
  return `module${index}.rego`;
}

/** The `data.`-rooted dotted form of an entrypoint (`test/p` → `data.test.p`). */
export function entrypointRef(entrypoint: string): string {
  return ["data", ...entrypoint.split("/")].join(".");
}

/** Loads every `*.yaml` case file of `dir`, in file-name order; names are unique. */
export function loadCases(dir = "test/rego"): RegoCase[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const cases = files.flatMap((f) => parseCaseFile(f, readFileSync(join(dir, f), "utf8")));
  assertUniqueNames(cases);
  return cases;
}

/** Parses and validates one case file's text; `file` is used in error messages. */
export function parseCaseFile(file: string, text: string): RegoCase[] {
  const fileName = basename(file);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new CaseFileError(`${fileName}: invalid YAML: ${(err as Error).message}`);
  }
  if (!isPlainObject(doc) || !Array.isArray(doc.cases)) {
    throw new CaseFileError(`${fileName}: expected a top-level mapping with a 'cases' list`);
  }
  const extra = Object.keys(doc).filter((k) => k !== "cases");
  if (extra.length > 0) {
    throw new CaseFileError(`${fileName}: unknown top-level key(s): ${extra.join(", ")}`);
  }
  const cases = doc.cases.map((raw: unknown, index: number) => toCase(fileName, raw, index));
  assertUniqueNames(cases);
  return cases;
}

function toCase(file: string, raw: unknown, index: number): RegoCase {
  const label = caseLabel(file, raw, index);
  const fail = (msg: string): never => {
    throw new CaseFileError(`${label}: ${msg}`);
  };
  if (!isPlainObject(raw)) return fail("a case must be a mapping");
  const unknownKeys = Object.keys(raw).filter((k) => !CASE_KEYS.has(k));
  if (unknownKeys.length > 0) fail(`unknown key(s): ${unknownKeys.join(", ")}`);

  const name = raw.name;
  if (typeof name !== "string" || name.trim() === "") fail("'name' must be a non-empty string");
  const modules = checkModules(raw.modules, fail);
  const entrypoint = raw.entrypoint;
  if (typeof entrypoint !== "string" || !ENTRYPOINT_PATTERN.test(entrypoint)) {
    fail("'entrypoint' must be a slash-separated path of identifiers, e.g. test/p");
  }
  const c: RegoCase = {
    file,
    name: name as string,
    modules,
    entrypoint: entrypoint as string,
  };
  if ("data" in raw) c.data = checkData(raw.data, fail);
  if ("input" in raw) c.input = checkInput(raw.input, fail);
  applyExpectation(c, raw, fail);
  return c;
}

function caseLabel(file: string, raw: unknown, index: number): string {
  const name = isPlainObject(raw) && typeof raw.name === "string" ? ` '${raw.name}'` : "";
  return `${file}: case #${index + 1}${name}`;
}

function checkModules(value: unknown, fail: (msg: string) => never): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    return fail("'modules' must be a non-empty list of Rego sources");
  }
  return value.map((m, i) => {
    if (typeof m !== "string" || !/^\s*(#.*\n\s*)*package\s/.test(m)) {
      return fail(`module ${i} must be a string starting with a package declaration`);
    }
    return m;
  });
}

function checkData(value: unknown, fail: (msg: string) => never): unknown {
  if (!isPlainObject(value)) return fail("'data' must be a mapping (OPA base data is an object)");
  checkJson(value, "data", fail);
  return value;
}

function checkInput(value: unknown, fail: (msg: string) => never): unknown {
  if (value === null || value === false || value === 0 || value === "") {
    return fail(
      "a top-level 'input' of null, false, 0 or \"\" is dropped by the OPA Wasm SDK; wrap it in an object",
    );
  }
  checkJson(value, "input", fail);
  return value;
}

function applyExpectation(
  c: RegoCase,
  raw: Record<string, unknown>,
  fail: (msg: string) => never,
): void {
  const present = EXPECTATION_KEYS.filter((k) => k in raw);
  if (present.length !== 1) {
    fail(`exactly one of ${EXPECTATION_KEYS.join(", ")} is required (found ${present.length})`);
  }
  switch (present[0]) {
    case "want":
      checkJson(raw.want, "want", fail);
      c.want = raw.want;
      break;
    case "want_undefined":
      if (raw.want_undefined !== true) fail("'want_undefined' must be true");
      c.wantUndefined = true;
      break;
    case "want_error":
      c.wantError = checkLocatedError(
        raw.want_error,
        "want_error",
        EVAL_ERROR_CODES,
        c.modules,
        fail,
      );
      break;
    case "want_compile_error":
      c.wantCompileError = checkLocatedError(
        raw.want_compile_error,
        "want_compile_error",
        COMPILE_ERROR_CODES,
        c.modules,
        fail,
      );
      break;
  }
}

function checkError(
  value: unknown,
  key: string,
  codes: readonly string[],
  fail: (msg: string) => never,
  extraKeys: readonly string[] = [],
): WantError {
  if (!isPlainObject(value)) return fail(`'${key}' must be a mapping with code and message`);
  const allowed = new Set(["code", "message", ...extraKeys]);
  const unknownKeys = Object.keys(value).filter((k) => !allowed.has(k));
  if (unknownKeys.length > 0) fail(`'${key}' has unknown key(s): ${unknownKeys.join(", ")}`);
  if (typeof value.code !== "string" || !codes.includes(value.code)) {
    fail(`'${key}.code' must be one of ${codes.join(", ")}`);
  }
  if (typeof value.message !== "string") fail(`'${key}.message' must be a string`);
  return { code: value.code as string, message: value.message as string };
}

function checkLocatedError(
  value: unknown,
  key: string,
  codes: readonly string[],
  modules: string[],
  fail: (msg: string) => never,
): WantError {
  const base = checkError(value, key, codes, fail, ["line", "col"]);
  const raw = value as Record<string, unknown>;
  const result: WantError = { ...base };
  for (const field of ["line", "col"] as const) {
    if (!(field in raw)) continue;
    const n = raw[field];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      fail(`'${key}.${field}' must be a positive integer`);
    }
    result[field] = n as number;
  }
  if (result.col !== undefined && result.line === undefined) {
    fail(`'${key}.col' needs 'line'`);
  }
  // Locations refer to module0.rego, the module every located case keeps its error in.
  const lineCount = (modules[0] ?? "").split("\n").length;
  if (result.line !== undefined && result.line > lineCount) {
    fail(`'${key}.line' ${result.line} is past the end of module0`);
  }
  return result;
}

/** Rejects values that have no JSON form (non-finite numbers, non-plain objects, ...). */
function checkJson(value: unknown, path: string, fail: (msg: string) => never): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(`${path}: ${value} has no JSON form`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJson(v, `${path}[${i}]`, fail));
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) checkJson(v, `${path}.${k}`, fail);
    return;
  }
  fail(`${path}: value of type ${typeof value} is not JSON-compatible`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function assertUniqueNames(cases: readonly RegoCase[]): void {
  const seen = new Map<string, string>();
  for (const c of cases) {
    const previous = seen.get(c.name);
    if (previous !== undefined) {
      throw new CaseFileError(`${c.file}: case name '${c.name}' is already used in ${previous}`);
    }
    seen.set(c.name, c.file);
  }
}
