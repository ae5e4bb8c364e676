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
  const pure = pureGroups(reads);
  return [...program.groups]
    .filter(([key, group]) => group.kind !== "function" && pure.has(key))
    .map(([key]) => key);
}

/**
 * Groups that are pure along with everything they depend on, found by an iterative
 * depth-first walk (dependency chains can be thousands of rules long). The checker
 * rejects recursion; a group met again while still open counts as impure all the same.
 */
function pureGroups(reads: ReadonlyMap<string, GroupReads>): Set<string> {
  const state = new Map<string, "open" | "pure" | "impure">();
  for (const root of reads.keys()) {
    const stack: { key: string; deps: string[] }[] = [];
    const enter = (key: string): void => {
      const r = reads.get(key);
      if (r === undefined || r.impure) state.set(key, "impure");
      else {
        state.set(key, "open");
        stack.push({ key, deps: [...r.deps] });
      }
    };
    if (!state.has(root)) enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const next = frame.deps.pop();
      if (next === undefined) {
        state.set(frame.key, "pure");
        stack.pop();
      } else {
        if (!state.has(next)) enter(next);
        // An impure dependency (or one still open: a cycle) makes the whole path impure;
        // a dependency just entered and still open is explored first.
        const s = state.get(next);
        if (s === "impure" || (s === "open" && stack[stack.length - 1]!.key !== next)) {
          for (const f of stack) state.set(f.key, "impure");
          stack.length = 0;
        }
      }
    }
  }
  return new Set([...state].filter(([, s]) => s === "pure").map(([k]) => k));
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
