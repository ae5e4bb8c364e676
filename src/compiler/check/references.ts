// Reference checks over a resolved program: calls name existing functions with the right
// number of arguments, `with` replaces only input, data or functions, and no rule shadows a
// root document. A data ref that no rule defines is base data, even below a package the
// program defines (`data.test.base_value` next to rules of package `test`): as in OPA,
// which cannot know base data when it compiles, such refs are never errors.
import type { Body, Expr, RefTerm, Rule, Term } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Program, RuleGroup } from "../program.js";
import { builtinArity, isBuiltin, isVariadicBuiltin } from "./builtin-arity.js";
import { forEachChildTerm, ROOT_DOCUMENTS, splitHeadRef } from "./vars.js";

/** Where a `data` ref lands in the program's rule tree. */
export type DataRefTarget =
  | { kind: "group"; group: RuleGroup }
  /** A namespace (package or ref-head prefix) holding these groups. */
  | { kind: "namespace"; groups: RuleGroup[] }
  /** Base data (no rule defines it), or a dynamic segment first. */
  | { kind: "external" };

/** Indexes of a program's rule tree, built once per check run. */
export class RuleTree {
  private readonly namespaces = new Map<string, RuleGroup[]>();
  /** Each group's key in `program.groups` (its dotted path), so no check joins it again. */
  private readonly keys = new Map<RuleGroup, string>();

  constructor(readonly program: Program) {
    // forEach rather than for-of: no iterator result per group before the code is optimized.
    program.groups.forEach((g, groupKey) => {
      this.keys.set(g, groupKey);
      let key = "";
      for (let n = 0; n < g.path.length; n++) {
        let list = this.namespaces.get(key);
        if (list === undefined) this.namespaces.set(key, (list = []));
        list.push(g);
        key = n === 0 ? (g.path[0] as string) : `${key}.${g.path[n] as string}`;
      }
    });
  }

  /** Resolves the static prefix of a `data` ref (the path after `data`). */
  target(path: readonly Term[]): DataRefTarget {
    // The dotted key of the first i segments, grown one segment at a time.
    let key = "";
    for (let i = 0; i <= path.length; i++) {
      const group = i > 0 ? this.program.groups.get(key) : undefined;
      if (group !== undefined) return { kind: "group", group };
      const inNamespace = this.namespaces.get(key);
      // Not `path[i]` past the end: an out-of-bounds read deoptimizes the compiled code.
      const seg = i < path.length ? path[i] : undefined;
      if (inNamespace === undefined) return { kind: "external" };
      if (seg === undefined || seg.type !== "string")
        return { kind: "namespace", groups: inNamespace };
      key = i === 0 ? seg.value : `${key}.${seg.value}`;
    }
    return { kind: "external" };
  }

  /** The key of a group of the program: its dotted path. */
  keyOf(group: RuleGroup): string {
    return this.keys.get(group) ?? group.path.join(".");
  }

  /** The function group a fully qualified operator names, if any. */
  functionGroup(operator: readonly string[]): RuleGroup | undefined {
    if (operator[0] !== "data") return undefined;
    const g = this.program.groups.get(operator.slice(1).join("."));
    return g?.kind === "function" ? g : undefined;
  }

  /** Arity of a called operator: user function or builtin; undefined when unknown. */
  arity(operator: readonly string[]): number | undefined {
    if (operator[0] === "data") return this.functionGroup(operator)?.arity;
    return builtinArity(operatorName(operator));
  }
}

/**
 * The dotted name of an operator. Most are one element (`equal`, `count`, and
 * `internal.member_2` too), which need no join: this runs for every call of the program.
 */
export function operatorName(operator: readonly string[]): string {
  return operator.length === 1 ? (operator[0] as string) : operator.join(".");
}

/** State of one reference-check run. */
interface RefContext {
  tree: RuleTree;
  out: Diagnostic[];
  /** Groups the rule being checked depends on (dotted paths). */
  deps: Set<string>;
}

/**
 * Checks calls, data refs and `with` targets of every rule; returns the dependency graph
 * (group path → paths of the groups its rules read or call) found on the way.
 */
export function checkReferences(tree: RuleTree, out: Diagnostic[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const m of tree.program.modules) {
    const pkg = m.package.path.join(".");
    for (let i = 0; i < m.rules.length; i++) {
      const rule = m.rules[i]!;
      // The rule's group key (its package path, then its head's static path), dotted.
      const own = splitHeadRef(rule.head).path.join(".");
      const key = pkg === "" ? own : `${pkg}.${own}`;
      let deps = graph.get(key);
      if (deps === undefined) graph.set(key, (deps = new Set()));
      checkRule({ tree, out, deps }, rule);
    }
  }
  return graph;
}

function checkRule(ctx: RefContext, rule: Rule): void {
  if (ROOT_DOCUMENTS.has(rule.head.name)) {
    ctx.out.push(
      diagnostic(
        "rego_compile_error",
        `rules must not shadow ${rule.head.name} (use a different rule name)`,
        rule.head.loc,
      ),
    );
  }
  const headTerms: Term[] = rule.head.ref.slice(1);
  if (rule.head.args !== undefined) for (const a of rule.head.args) headTerms.push(a);
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  if (rule.head.value !== undefined) headTerms.push(rule.head.value);
  for (let i = 0; i < headTerms.length; i++) checkTerm(ctx, headTerms[i]!, false);
  checkBody(ctx, rule.body);
  for (let i = 0; i < rule.else.length; i++) {
    const e = rule.else[i]!;
    if (e.value !== undefined) checkTerm(ctx, e.value, false);
    checkBody(ctx, e.body);
  }
}

function checkBody(ctx: RefContext, body: Body): void {
  for (let i = 0; i < body.length; i++) checkExpr(ctx, body[i]!);
}

function checkExpr(ctx: RefContext, e: Expr): void {
  const b = e.body;
  switch (b.kind) {
    case "term":
      checkTerm(ctx, b.term, !e.negated);
      break;
    case "assign":
    case "unify":
      checkTerm(ctx, b.lhs, false);
      checkTerm(ctx, b.rhs, false);
      break;
    case "somein":
      if (b.key !== undefined) checkTerm(ctx, b.key, false);
      checkTerm(ctx, b.value, false);
      checkTerm(ctx, b.collection, false);
      break;
    case "every":
      checkTerm(ctx, b.domain, false);
      checkBody(ctx, b.body);
      break;
    case "some":
      break;
  }
  for (let i = 0; i < e.with.length; i++) {
    const w = e.with[i]!;
    checkWithTarget(w.target, ctx.out);
    checkTerm(ctx, w.value, false);
  }
}

/**
 * Checks every call and data ref in `t`. `topLevel`: `t` is a whole (non-negated)
 * expression, where a call may take one extra argument for its output.
 */
function checkTerm(ctx: RefContext, t: Term, topLevel: boolean): void {
  switch (t.type) {
    case "call":
      checkCall(ctx, t.operator, t.args.length, topLevel, t.loc);
      break;
    case "ref":
      checkDataRef(ctx, t);
      break;
    case "arraycompr":
    case "setcompr":
      checkTerm(ctx, t.term, false);
      checkBody(ctx, t.body);
      return;
    case "objectcompr":
      checkTerm(ctx, t.key, false);
      checkTerm(ctx, t.value, false);
      checkBody(ctx, t.body);
      return;
    default:
      break;
  }
  forEachChildTerm(t, checkNested, ctx, undefined);
}

/** A term inside another is never a whole expression. */
function checkNested(t: Term, ctx: RefContext): void {
  checkTerm(ctx, t, false);
}

function checkCall(
  ctx: RefContext,
  operator: readonly string[],
  argc: number,
  outputAllowed: boolean,
  loc: Term["loc"],
): void {
  const name = operatorName(operator);
  if (operator[0] === "data") {
    const g = ctx.tree.functionGroup(operator);
    if (g === undefined) {
      ctx.out.push(diagnostic("rego_type_error", `undefined function ${name}`, loc));
      return;
    }
    ctx.deps.add(ctx.tree.keyOf(g));
    checkArity(ctx, name, g.arity ?? 0, argc, outputAllowed, loc);
    return;
  }
  if (isVariadicBuiltin(name)) return;
  if (!isBuiltin(name)) {
    ctx.out.push(diagnostic("rego_type_error", `undefined function ${name}`, loc));
    return;
  }
  checkArity(ctx, name, builtinArity(name) ?? 0, argc, outputAllowed, loc);
}

function checkArity(
  ctx: RefContext,
  name: string,
  arity: number,
  argc: number,
  outputAllowed: boolean,
  loc: Term["loc"],
): void {
  if (argc === arity || (outputAllowed && argc === arity + 1)) return;
  const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;
  ctx.out.push(
    diagnostic(
      "rego_type_error",
      `${name}: arity mismatch: have ${plural(argc)}, want ${plural(arity)}`,
      loc,
    ),
  );
}

/** Records the groups a data ref reads (for the recursion check). */
function checkDataRef(ctx: RefContext, ref: RefTerm): void {
  if (ref.head.type !== "var" || ref.head.name !== "data") return;
  const target = ctx.tree.target(ref.path);
  if (target.kind === "group") ctx.deps.add(ctx.tree.keyOf(target.group));
  if (target.kind === "namespace") for (const g of target.groups) ctx.deps.add(ctx.tree.keyOf(g));
}

/** `with` replaces input, data, or a function (user function or builtin). */
function checkWithTarget(target: Term, out: Diagnostic[]): void {
  if (isWithTargetValid(target)) return;
  out.push(
    diagnostic(
      "rego_compile_error",
      "with keyword target must reference existing input, data, or a function",
      target.loc,
    ),
  );
}

function isWithTargetValid(target: Term): boolean {
  if (target.type === "var") return ROOT_DOCUMENTS.has(target.name) || isBuiltin(target.name);
  if (target.type !== "ref" || target.head.type !== "var") return false;
  if (ROOT_DOCUMENTS.has(target.head.name)) return true;
  const names = [target.head.name];
  for (let i = 0; i < target.path.length; i++) {
    const p = target.path[i]!;
    if (p.type !== "string") return false;
    names.push(p.value);
  }
  return isBuiltin(names.join("."));
}
