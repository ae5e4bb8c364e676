// The checked program: every module's rules grouped by their full `data` path, with names
// resolved. This is what the planner (Wasm) and the reference evaluator both consume, so
// the two engines see exactly the same program.
//
// Name resolution (done by `buildProgram`, in the spirit of OPA's compiler stages):
// - a bare var that names a rule of the same package becomes the ref `data.<pkg>.<name>`;
// - import aliases and `import data.x.y` / `import input.x` are expanded at every use;
// - calls to user functions get their fully qualified name as `operator`
//   (`["data", "pkg", "f"]`); calls to builtins keep the builtin's name (`["count"]`,
//   `["object", "get"]`);
// - `rego.v1` / `future.keywords` imports are accepted and dropped;
// - every remaining var is local to its body (declared by `:=`, `some`, `every`, function
//   args, or bound by unification/iteration).
import type { Module, Rule, Term } from "../rego/ast.js";

export type RuleKind = "complete" | "set" | "object" | "function";

/** All definitions that contribute to one document under `data`. */
export interface RuleGroup {
  /** `["a", "b", "p"]` for `data.a.b.p` (static part of the head ref). */
  path: string[];
  kind: RuleKind;
  /** Every non-default definition, in source order (modules in file order). */
  rules: ResolvedRule[];
  /** The `default` definition, if any. */
  default?: ResolvedRule;
  /** Function arity, for kind "function". */
  arity?: number;
}

export interface ResolvedRule {
  rule: Rule;
  module: Module;
  /**
   * Head ref terms after `path` (e.g. the key var of `p[k] := v`, or the var segments of
   * a generalized ref head `a.b[x].c := v`). Empty for plain rules.
   */
  keyTerms: Term[];
}

export interface Program {
  /** Modules with names resolved as described above. */
  modules: Module[];
  /** Keyed by the dotted path without `data.` (e.g. "a.b.p"). */
  groups: Map<string, RuleGroup>;
  /** Rules whose annotations say `entrypoint: true`, as dotted paths without `data.`. */
  annotatedEntrypoints: string[];
}
