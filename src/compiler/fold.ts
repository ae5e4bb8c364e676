// Constant rule groups: groups whose value cannot depend on the request or the base data.
// They read no `input`, no base document under `data`, call no builtin the caller deems
// impure (non-deterministic, or with side effects such as `print`), use no `with`, and
// depend only on groups (rules and functions) that are constant too. The compile pipeline
// evaluates them once at build time and the planner emits their value instead of their
// bodies (D27), so a comprehension over a constant table is not recomputed per decision.
import type { Body, Term } from "../rego/ast.js";
import type { Program, ResolvedRule, RuleGroup } from "./program.js";
import { walkBodyTerms, walkTerm } from "./check/vars.js";

/** What one group reads: whether it is impure by itself, and the groups it depends on. */
interface GroupReads {
  impure: boolean;
  deps: Set<string>;
}

/**
 * Dotted paths of the non-function groups whose value is a build-time constant, in no
 * particular order. `isPure(builtin)` says whether a builtin call may be evaluated at build
 * time.
 */
export function constantGroups(program: Program, isPure: (builtin: string) => boolean): string[] {
  const reads = new Map<string, GroupReads>();
  for (const [key, group] of program.groups) reads.set(key, groupReads(program, group, isPure));
  const pure = new Map<string, boolean>();
  const isPureGroup = (key: string): boolean => {
    const known = pure.get(key);
    if (known !== undefined) return known;
    // The checker rejects recursion, so a group met again while open is not a cycle; the
    // provisional `false` only guards against a malformed program.
    pure.set(key, false);
    const r = reads.get(key);
    const result = r !== undefined && !r.impure && [...r.deps].every(isPureGroup);
    pure.set(key, result);
    return result;
  };
  return [...program.groups]
    .filter(([key, group]) => group.kind !== "function" && isPureGroup(key))
    .map(([key]) => key);
}

function groupReads(
  program: Program,
  group: RuleGroup,
  isPure: (builtin: string) => boolean,
): GroupReads {
  const reads: GroupReads = { impure: false, deps: new Set() };
  // Heads of data refs already judged with their ref (walks visit a ref before its head).
  const judgedHeads = new WeakSet<Term>();
  const visit = (t: Term): void => {
    if (t.type === "var" && (t.name === "input" || t.name === "data")) {
      if (!judgedHeads.has(t)) reads.impure = true;
    } else if (t.type === "ref" && t.head.type === "var" && t.head.name === "data") {
      judgedHeads.add(t.head);
      const dep = groupOfDataRef(program, t.path);
      if (dep === undefined) reads.impure = true;
      else reads.deps.add(dep);
    } else if (t.type === "call") {
      if (t.operator[0] === "data") reads.deps.add(t.operator.slice(1).join("."));
      else if (!isPure(t.operator.join("."))) reads.impure = true;
    }
  };
  for (const r of allRules(group)) {
    for (const term of ruleTerms(r)) walkTerm(term, visit);
    for (const body of [r.rule.body, ...r.rule.else.map((e) => e.body)]) {
      if (hasWith(body)) reads.impure = true;
      walkBodyTerms(body, visit);
    }
  }
  return reads;
}

function allRules(group: RuleGroup): ResolvedRule[] {
  return group.default === undefined ? group.rules : [...group.rules, group.default];
}

function ruleTerms(r: ResolvedRule): Term[] {
  const h = r.rule.head;
  const terms: Term[] = [...h.ref.slice(1), ...(h.args ?? [])];
  if (h.key !== undefined) terms.push(h.key);
  if (h.value !== undefined) terms.push(h.value);
  for (const e of r.rule.else) if (e.value !== undefined) terms.push(e.value);
  return terms;
}

/** `with` anywhere in a body, including `every` and comprehension bodies nested in it. */
function hasWith(body: Body): boolean {
  if (body.some((e) => e.with.length > 0 || (e.body.kind === "every" && hasWith(e.body.body))))
    return true;
  let found = false;
  walkBodyTerms(body, (t) => {
    if (
      (t.type === "arraycompr" || t.type === "setcompr" || t.type === "objectcompr") &&
      hasWith(t.body)
    )
      found = true;
  });
  return found;
}

/**
 * The group a `data` ref reads (the first group on its static path), or undefined when it
 * reads base data or a namespace that mixes rules with base data.
 */
function groupOfDataRef(program: Program, path: readonly Term[]): string | undefined {
  const segs: string[] = [];
  for (const p of path) {
    if (p.type !== "string") return undefined;
    segs.push(p.value);
    const key = segs.join(".");
    if (program.groups.has(key)) return key;
  }
  return undefined;
}
