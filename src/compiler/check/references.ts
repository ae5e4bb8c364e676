// Reference checks over a resolved program: calls name existing functions with the right
// number of arguments, refs into packages the program defines name existing rules, `with`
// replaces only input, data or functions, and no rule shadows a root document.
import type { Body, Expr, RefTerm, Rule, Term } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Program, RuleGroup } from "../program.js";
import { builtinArity, isBuiltin, isVariadicBuiltin } from "./builtin-arity.js";
import { ROOT_DOCUMENTS } from "./vars.js";

/** Where a `data` ref lands in the program's rule tree. */
export type DataRefTarget =
  | { kind: "group"; group: RuleGroup }
  /** A namespace (package or ref-head prefix) holding these groups. */
  | { kind: "namespace"; groups: RuleGroup[] }
  /** Below a package of the program, but no rule defines it. */
  | { kind: "undefined"; depth: number }
  /** Base data (outside every package of the program), or a dynamic segment first. */
  | { kind: "external" };

/** Indexes of a program's rule tree, built once per check run. */
export class RuleTree {
  private readonly namespaces = new Map<string, RuleGroup[]>();
  private readonly packages = new Set<string>();

  constructor(readonly program: Program) {
    for (const g of program.groups.values()) {
      let key = "";
      for (let n = 0; n < g.path.length; n++) {
        let list = this.namespaces.get(key);
        if (list === undefined) this.namespaces.set(key, (list = []));
        list.push(g);
        key = n === 0 ? (g.path[0] as string) : `${key}.${g.path[n] as string}`;
      }
    }
    for (const m of program.modules) {
      if (m.rules.length > 0) this.packages.add(m.package.path.join("."));
    }
  }

  /** Resolves the static prefix of a `data` ref (the path after `data`). */
  target(path: readonly Term[]): DataRefTarget {
    const names: string[] = [];
    for (let i = 0; i <= path.length; i++) {
      const key = names.join(".");
      const group = i > 0 ? this.program.groups.get(key) : undefined;
      if (group !== undefined) return { kind: "group", group };
      const inNamespace = this.namespaces.get(key);
      const seg = path[i];
      if (inNamespace === undefined) {
        return this.insidePackage(names) ? { kind: "undefined", depth: i } : { kind: "external" };
      }
      if (seg === undefined || seg.type !== "string")
        return { kind: "namespace", groups: inNamespace };
      names.push(seg.value);
    }
    return { kind: "external" };
  }

  private insidePackage(names: readonly string[]): boolean {
    for (let n = names.length; n > 0; n--) {
      if (this.packages.has(names.slice(0, n).join("."))) return true;
    }
    return false;
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
    return builtinArity(operator.join("."));
  }
}

export function checkReferences(tree: RuleTree, out: Diagnostic[]): void {
  for (const m of tree.program.modules) {
    for (const rule of m.rules) checkRule(tree, rule, out);
  }
}

function checkRule(tree: RuleTree, rule: Rule, out: Diagnostic[]): void {
  if (ROOT_DOCUMENTS.has(rule.head.name)) {
    out.push(
      diagnostic(
        "rego_compile_error",
        `rules must not shadow ${rule.head.name} (use a different rule name)`,
        rule.head.loc,
      ),
    );
  }
  const headTerms: Term[] = [...rule.head.ref.slice(1), ...(rule.head.args ?? [])];
  if (rule.head.key !== undefined) headTerms.push(rule.head.key);
  if (rule.head.value !== undefined) headTerms.push(rule.head.value);
  for (const t of headTerms) checkTerm(tree, t, false, out);
  checkBody(tree, rule.body, out);
  for (const e of rule.else) {
    if (e.value !== undefined) checkTerm(tree, e.value, false, out);
    checkBody(tree, e.body, out);
  }
}

function checkBody(tree: RuleTree, body: Body, out: Diagnostic[]): void {
  for (const e of body) checkExpr(tree, e, out);
}

function checkExpr(tree: RuleTree, e: Expr, out: Diagnostic[]): void {
  const b = e.body;
  switch (b.kind) {
    case "term":
      checkTerm(tree, b.term, !e.negated, out);
      break;
    case "assign":
    case "unify":
      checkTerm(tree, b.lhs, false, out);
      checkTerm(tree, b.rhs, false, out);
      break;
    case "somein":
      if (b.key !== undefined) checkTerm(tree, b.key, false, out);
      checkTerm(tree, b.value, false, out);
      checkTerm(tree, b.collection, false, out);
      break;
    case "every":
      checkTerm(tree, b.domain, false, out);
      checkBody(tree, b.body, out);
      break;
    case "some":
      break;
  }
  for (const w of e.with) {
    checkWithTarget(w.target, out);
    checkTerm(tree, w.value, false, out);
  }
}

/**
 * Checks every call and data ref in `t`. `topLevel`: `t` is a whole (non-negated)
 * expression, where a call may take one extra argument for its output.
 */
function checkTerm(tree: RuleTree, t: Term, topLevel: boolean, out: Diagnostic[]): void {
  switch (t.type) {
    case "call":
      checkCall(tree, t.operator, t.args.length, topLevel, t.loc, out);
      for (const a of t.args) checkTerm(tree, a, false, out);
      return;
    case "ref":
      checkDataRef(tree, t, out);
      checkTerm(tree, t.head, false, out);
      for (const p of t.path) checkTerm(tree, p, false, out);
      return;
    case "array":
    case "set":
      for (const i of t.items) checkTerm(tree, i, false, out);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        checkTerm(tree, k, false, out);
        checkTerm(tree, v, false, out);
      }
      return;
    case "arraycompr":
    case "setcompr":
      checkTerm(tree, t.term, false, out);
      checkBody(tree, t.body, out);
      return;
    case "objectcompr":
      checkTerm(tree, t.key, false, out);
      checkTerm(tree, t.value, false, out);
      checkBody(tree, t.body, out);
      return;
    default:
      return;
  }
}

function checkCall(
  tree: RuleTree,
  operator: readonly string[],
  argc: number,
  outputAllowed: boolean,
  loc: Term["loc"],
  out: Diagnostic[],
): void {
  const name = operator.join(".");
  if (operator[0] === "data") {
    const g = tree.functionGroup(operator);
    if (g === undefined) {
      out.push(diagnostic("rego_type_error", `undefined function ${name}`, loc));
      return;
    }
    checkArity(name, g.arity ?? 0, argc, outputAllowed, loc, out);
    return;
  }
  if (isVariadicBuiltin(name)) return;
  if (!isBuiltin(name)) {
    out.push(diagnostic("rego_type_error", `undefined function ${name}`, loc));
    return;
  }
  checkArity(name, builtinArity(name) ?? 0, argc, outputAllowed, loc, out);
}

function checkArity(
  name: string,
  arity: number,
  argc: number,
  outputAllowed: boolean,
  loc: Term["loc"],
  out: Diagnostic[],
): void {
  if (argc === arity || (outputAllowed && argc === arity + 1)) return;
  const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;
  out.push(
    diagnostic(
      "rego_type_error",
      `${name}: arity mismatch: have ${plural(argc)}, want ${plural(arity)}`,
      loc,
    ),
  );
}

function checkDataRef(tree: RuleTree, ref: RefTerm, out: Diagnostic[]): void {
  if (ref.head.type !== "var" || ref.head.name !== "data") return;
  const target = tree.target(ref.path);
  if (target.kind !== "undefined") return;
  out.push(diagnostic("rego_type_error", `undefined ref: ${refText(ref, target.depth)}`, ref.loc));
}

/** `data.a.b` up to `depth` static segments after `data`. */
function refText(ref: RefTerm, depth: number): string {
  const names = ref.path.slice(0, depth).map((t) => (t.type === "string" ? t.value : "?"));
  return ["data", ...names].join(".");
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
  for (const p of target.path) {
    if (p.type !== "string") return false;
    names.push(p.value);
  }
  return isBuiltin(names.join("."));
}
