// Rule indexing (issue 9): find, among the bodies of one rule group, a condition of the form
// `input.<path> == <scalar>` (either side), or `input.<path> in {<scalars>}`, that many
// bodies share. The planner then dispatches on the value of `input.<path>` through a hash
// lookup instead of trying every body, so decision latency stays flat as rules grow.
//
// Any top-level, non-negated expression of a body is a valid filter: a body is a
// conjunction, so it can only succeed when that expression holds.
import type { Expr, Term } from "../../rego/ast.js";
import type { ResolvedRule } from "../program.js";
import { RegoSet, type Value } from "../../value/value.js";
import { constantValue, isConstant } from "../../rego/constants.js";

/** Smallest number of bodies sharing one tested path for an index to pay off. */
export const MIN_INDEXED_BODIES = 2;
/** `x in {...}` sets larger than this are left to the normal membership test. */
const MAX_MEMBER_KEYS = 8;

export interface IndexedBody {
  /** Position of the rule in the group's rule list. */
  rule: number;
  /** Position of the tested expression in the rule's body (removed when planning). */
  expr: number;
  /** The constants the indexed value must equal (one, or several for `in`). */
  keys: Value[];
}

export interface RuleIndex {
  /** `input` path tested, e.g. `["action"]`. */
  path: string[];
  bodies: IndexedBody[];
}

interface Candidate {
  path: string[];
  expr: number;
  keys: Value[];
}

/** The value of a term known at build time (a folded constant rule), if any. */
export type ConstantOf = (t: Term) => Value | undefined;

/**
 * Chooses the input path most bodies test for equality; undefined when none pays off.
 * `constantOf` lets `input.x in s` count when `s` is a rule folded to a small constant set.
 */
export function findRuleIndex(
  rules: readonly ResolvedRule[],
  constantOf?: ConstantOf,
): RuleIndex | undefined {
  const byPath = new Map<string, { path: string[]; bodies: IndexedBody[] }>();
  rules.forEach((r, rule) => {
    if (r.rule.else.length > 0) return;
    const seen = new Set<string>();
    r.rule.body.forEach((e, expr) => {
      const c = indexCandidate(e, expr, constantOf);
      if (c === undefined) return;
      const id = JSON.stringify(c.path);
      if (seen.has(id)) return;
      seen.add(id);
      let entry = byPath.get(id);
      if (entry === undefined) {
        entry = { path: c.path, bodies: [] };
        byPath.set(id, entry);
      }
      entry.bodies.push({ rule, expr: c.expr, keys: c.keys });
    });
  });
  let best: RuleIndex | undefined;
  for (const entry of byPath.values()) {
    if (entry.bodies.length < MIN_INDEXED_BODIES) continue;
    if (best === undefined || entry.bodies.length > best.bodies.length) best = entry;
  }
  return best;
}

function indexCandidate(e: Expr, expr: number, constantOf?: ConstantOf): Candidate | undefined {
  if (e.negated || e.with.length > 0 || e.body.kind !== "term") return undefined;
  const t = e.body.term;
  if (t.type !== "call" || t.args.length !== 2) return undefined;
  const op = t.operator.join(".");
  const [a, b] = t.args as [Term, Term];
  if (op === "equal") {
    for (const [side, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const path = inputPath(side);
      const v = literalValue(other);
      if (path !== undefined && v !== undefined && isScalar(v)) return { path, expr, keys: [v] };
    }
    return undefined;
  }
  if (op === "internal.member_2") {
    const path = inputPath(a);
    if (path === undefined) return undefined;
    const keys = memberKeys(literalValue(b) ?? constantOf?.(b));
    return keys === undefined ? undefined : { path, expr, keys };
  }
  return undefined;
}

function literalValue(t: Term): Value | undefined {
  return isConstant(t) ? constantValue(t) : undefined;
}

/** The members of a small set or array of scalars. */
function memberKeys(v: Value | undefined): Value[] | undefined {
  const items = v instanceof RegoSet ? v.values() : Array.isArray(v) ? v : undefined;
  if (items === undefined || items.length === 0 || items.length > MAX_MEMBER_KEYS) {
    return undefined;
  }
  return items.every(isScalar) ? [...items] : undefined;
}

function isScalar(v: Value): boolean {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/** `input.a.b` with constant string segments → `["a", "b"]`. */
export function inputPath(t: Term): string[] | undefined {
  return stringPath(t, "input");
}

/** `<root>.a.b` with constant string segments → `["a", "b"]` (at least one segment). */
export function stringPath(t: Term, root: string): string[] | undefined {
  if (t.type !== "ref" || t.head.type !== "var" || t.head.name !== root) return undefined;
  if (t.path.length === 0) return undefined;
  const out: string[] = [];
  for (const seg of t.path) {
    if (seg.type !== "string") return undefined;
    out.push(seg.value);
  }
  return out;
}
