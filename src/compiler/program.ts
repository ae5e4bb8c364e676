// The checked program: every module's rules grouped by their full `data` path, with names
// resolved. This is what the planner (Wasm) and the reference evaluator both consume, so
// the two engines see exactly the same program.
//
// Build it with `buildProgram(modules)` (or `compileModules(sources)` from source text),
// both in src/compiler/resolve.ts. They throw one DiagnosticError listing every problem,
// so a Program in hand has passed every static check.
//
// Name resolution (in the spirit of OPA's compiler stages):
// - a bare var that names a rule of the same package (the first element of any rule head
//   of that package, in any module) becomes the ref `data.<pkg>.<name>`, unless a local
//   declaration in an enclosing scope shadows it. Local declarations are: function
//   arguments, `:=` left sides, `some x`, `some k, v in`, `every k, v` — each anywhere in
//   its body (a declaration later in the body still shadows an earlier use, which the
//   checks then report as "var x referenced above"). Vars bound by `=` do not shadow;
//   refs whose head is such a name are rewritten the same way (`p.x[y]` →
//   `data.pkg.p.x[y]`);
// - imports are expanded at every use: `import data.lib.roles` makes `roles.x` read
//   `data.lib.roles.x`; `import input.user as u` makes `u.name` read `input.user.name`.
//   Imports take precedence over rule names (a clash is reported);
// - calls to user functions get their fully qualified name as `operator`
//   (`f(x)` → `["data", "pkg", "f"]`, `lib.f(x)` with `import data.lib` →
//   `["data", "lib", "f"]`); calls to builtins keep the builtin's name (`["count"]`,
//   `["object", "get"]`); infix operators (`plus`, `equal`, ...) are always builtins;
// - `with` targets are resolved the same way but never shadowed by locals
//   (`with p as 1` → `with data.pkg.p as 1`, `with f as g` → `with data.pkg.f as data.pkg.g`);
// - `rego.v1` / `future.keywords` imports are dropped from `Module.imports`; the other
//   imports stay there for reference only (every use is already expanded);
// - every remaining var is local to its body (declared by `:=`, `some`, `every`, function
//   args, or bound by unification/iteration); `input` and `data` are the root documents.
//
// Body order: every body (rule bodies, else bodies, comprehension bodies, `every` bodies)
// is reordered for safety, as OPA does: an expression comes after the expressions that
// bind its inputs; among ready expressions the earliest in source order goes first, so a
// body that is already safe keeps its source order. Engines evaluate bodies as given.
//
// Grouping: a rule's path is its package path plus the static (string) prefix of its head
// ref; the rest of the head ref is `keyTerms`. Kinds:
// - "complete": `p := v`, `a.b.c := v` (keyTerms empty);
// - "object": `p[k] := v`, `a.b[k] := v`, `a.b[x].c := v` (keyTerms non-empty: the
//   document at `path` is an object keyed by keyTerms[0], nested for longer keyTerms);
// - "set": `p contains x` (keyTerms empty); `a.b[x] contains y` has keyTerms `[x]`: an
//   object keyed by x whose values are sets;
// - "function": `f(x) := v`, with `arity`.
// All definitions of one path share kind, arity and keyTerms length, at most one is
// `default`, and no rule path is a strict prefix of another (these are reported).
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
