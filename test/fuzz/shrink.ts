// Shrinking a mismatching case to a small reproducer: drop packages, rules, imports, `else`
// clauses and body expressions, simplify head values, and remove parts of data and input,
// keeping each step only while the same entrypoint still mismatches. Candidates of one
// round are tried together in one compiled module (compiling is what costs).
import type { JsonValue } from "./json.js";
import { documentRules, mark, type Clause, type Definition, type GenCase } from "./generate.js";
import { frontEndError, runBatch, type DiffOptions, type Mismatch } from "./diff.js";

const CHUNK = 40;
const MAX_ROUNDS = 200;

function clone<T>(x: T): T {
  return structuredClone(x);
}

/** Every one-step simplification of a case, biggest steps first. */
export function shrinkCandidates(c: GenCase): GenCase[] {
  return [
    ...dropPackages(c),
    ...dropDefinitions(c),
    ...dropImports(c),
    ...dropElses(c),
    ...dropStatements(c),
    ...simplerValues(c),
    ...simplerDocument(c, "data"),
    ...simplerDocument(c, "input"),
  ];
}

function dropPackages(c: GenCase): GenCase[] {
  if (c.packages.length < 2) return [];
  return c.packages.slice(1).map((_, j) => {
    const next = clone(c);
    next.packages.splice(j + 1, 1);
    return next;
  });
}

function mapDefinitions(c: GenCase, f: (d: Definition) => Definition[][]): GenCase[] {
  const out: GenCase[] = [];
  c.packages.forEach((p, pi) => {
    p.definitions.forEach((d, di) => {
      for (const replacement of f(d)) {
        const next = clone(c);
        next.packages[pi]?.definitions.splice(di, 1, ...replacement);
        out.push(next);
      }
    });
  });
  return out;
}

function dropDefinitions(c: GenCase): GenCase[] {
  return mapDefinitions(c, () => [[]]);
}

function dropImports(c: GenCase): GenCase[] {
  const out: GenCase[] = [];
  c.packages.forEach((p, pi) => {
    p.imports.forEach((_, ii) => {
      const next = clone(c);
      next.packages[pi]?.imports.splice(ii, 1);
      out.push(next);
    });
  });
  return out;
}

function withClauses(d: Definition, clauses: Clause[]): Definition {
  return { ...clone(d), clauses };
}

function dropElses(c: GenCase): GenCase[] {
  return mapDefinitions(c, (d) =>
    d.clauses.slice(1).map((_, i) => [
      withClauses(
        d,
        d.clauses.filter((_, j) => j !== i + 1),
      ),
    ]),
  );
}

function dropStatements(c: GenCase): GenCase[] {
  return mapDefinitions(c, (d) =>
    d.clauses.flatMap((clause, ci) =>
      clause.body.map((_, si) => {
        const clauses = clone(d.clauses);
        clauses[ci]?.body.splice(si, 1);
        return [withClauses(d, clauses)];
      }),
    ),
  );
}

const SIMPLE_VALUES = ["1", '"a"', "true", "null"];

function simplerValues(c: GenCase): GenCase[] {
  return mapDefinitions(c, (d) =>
    d.clauses.flatMap((clause, ci) => {
      if (clause.value === undefined || SIMPLE_VALUES.includes(clause.value)) return [];
      return SIMPLE_VALUES.map((value) => {
        const clauses = clone(d.clauses);
        (clauses[ci] as Clause).value = value;
        return [withClauses(d, clauses)];
      });
    }),
  );
}

/** Copies of `doc` with one element or key removed, or one collection emptied. */
function smallerJson(doc: JsonValue): JsonValue[] {
  if (doc === null || typeof doc !== "object") return [];
  const out: JsonValue[] = [];
  if (Array.isArray(doc)) {
    if (doc.length > 0) out.push([]);
    doc.forEach((_, i) => out.push(doc.filter((_, j) => j !== i)));
    doc.forEach((v, i) => {
      for (const smaller of smallerJson(v)) out.push(doc.map((x, j) => (j === i ? smaller : x)));
    });
    return out;
  }
  const keys = Object.keys(doc);
  for (const k of keys) {
    const rest = { ...doc };
    delete rest[k];
    out.push(rest);
  }
  for (const k of keys) {
    for (const smaller of smallerJson(doc[k] as JsonValue)) out.push({ ...doc, [k]: smaller });
  }
  return out;
}

function simplerDocument(c: GenCase, which: "data" | "input"): GenCase[] {
  return smallerJson(c[which]).map((doc) => ({ ...clone(c), [which]: doc }));
}

/** The entrypoint still exists in the candidate (a dropped rule cannot mismatch). */
function hasEntrypoint(c: GenCase, entrypoint: string): boolean {
  const slash = entrypoint.lastIndexOf("/");
  const pkg = entrypoint.slice(0, slash).replaceAll("/", ".");
  const name = entrypoint.slice(slash + 1);
  if (c.packages[0]?.path === entrypoint.replaceAll("/", ".")) return true;
  return c.packages.some((p) => p.path === pkg && documentRules(p).includes(name));
}

/** Shrinks a mismatch while its entrypoint keeps mismatching; returns the smallest found. */
export function shrink(m: Mismatch, opts: DiffOptions = {}): Mismatch {
  let current = m;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const candidates = shrinkCandidates(current.fuzzCase).filter(
      (c) => hasEntrypoint(c, current.entrypoint) && frontEndError(c) === undefined,
    );
    const next = firstMismatch(candidates, current.entrypoint, opts);
    if (next === undefined) break;
    current = next;
  }
  // Run alone, the case reports locations in module<j>.rego, as in the case suite.
  const alone = runBatch([current.fuzzCase], opts, [current.entrypoint]).mismatches[0];
  return alone ?? current;
}

function firstMismatch(
  candidates: readonly GenCase[],
  entrypoint: string,
  opts: DiffOptions,
): Mismatch | undefined {
  for (let start = 0; start < candidates.length; start += CHUNK) {
    const chunk = candidates.slice(start, start + CHUNK);
    const { mismatches } = runBatch(
      chunk,
      opts,
      chunk.map(() => entrypoint),
    );
    if (mismatches.length > 0) return mismatches[0];
  }
  return undefined;
}

/** The entrypoint of a shrunk mismatch as a case entrypoint (case number 0). */
export function reproducerEntrypoint(m: Mismatch): string {
  return mark(m.entrypoint, 0);
}
