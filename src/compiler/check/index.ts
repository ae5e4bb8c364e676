// The static checks of a resolved program. `checkProgram` runs them all; `buildProgram`
// (src/compiler/resolve.ts) runs the source-order checks before it reorders bodies.
import type { Location, VarTerm } from "../../rego/ast.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Program } from "../program.js";
import { checkRuleDeclarations } from "./declarations.js";
import { checkRecursion } from "./recursion.js";
import { checkReferences, RuleTree } from "./references.js";

export { RuleTree };
import { checkRuleSafety, displayVar } from "./safety.js";
import { checkTypes } from "./typecheck.js";

/** At most this many diagnostics are reported per run. */
export const MAX_DIAGNOSTICS = 50;

/** Declaration checks; they need bodies in source order. */
export function checkDeclarations(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of program.modules) for (const r of m.rules) checkRuleDeclarations(r, out);
  return out;
}

/**
 * Safety: reports unsafe vars and, with `reorder`, rewrites every body of the program
 * into an order where each expression's inputs are bound before it runs.
 */
export function checkSafety(
  program: Program,
  reorder: boolean,
  tree: RuleTree = new RuleTree(program),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (v: VarTerm, at: Location = v.loc): void => {
    out.push(diagnostic("rego_unsafe_var_error", `var ${displayVar(v)} is unsafe`, at));
  };
  const arity = (op: readonly string[]): number | undefined => tree.arity(op);
  for (const m of program.modules) {
    for (const r of m.rules) checkRuleSafety(r, { arity, reorder, report });
  }
  return out;
}

/**
 * Refs, calls, arity, `with`, recursion, and builtin argument types (which learn more from
 * bodies ordered for safety, but never report a false error on others).
 */
export function checkSemantics(
  program: Program,
  tree: RuleTree = new RuleTree(program),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const graph = checkReferences(tree, out);
  checkRecursion(tree, graph, out);
  out.push(...checkTypes(program, (op) => tree.functionGroup(op)?.arity));
  return out;
}

/** Every static check of a built program (without changing it). */
export function checkProgram(program: Program): Diagnostic[] {
  const tree = new RuleTree(program);
  return sortDiagnostics([
    ...checkDeclarations(program),
    ...checkSafety(program, false, tree),
    ...checkSemantics(program, tree),
  ]);
}

/** By file, line, column; duplicates (same place, same message) removed. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = list.filter((d) => {
    const key = `${d.loc.file}\0${d.loc.line}\0${d.loc.col}\0${d.code}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) =>
      (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : 0) ||
      a.loc.line - b.loc.line ||
      a.loc.col - b.loc.col,
  );
}
