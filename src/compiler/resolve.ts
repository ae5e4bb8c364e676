// Name resolution and rule grouping: turns parsed modules into the `Program` contract
// (src/compiler/program.ts). The parser's output is never modified; every module, rule,
// expression and term of the program is a fresh object (locations are shared, they are
// immutable).
import type {
  Annotation,
  Body,
  ElseClause,
  Expr,
  ExprBody,
  Import,
  Location,
  Module,
  RefTerm,
  Rule,
  RuleHead,
  StringTerm,
  Term,
  VarTerm,
  WithModifier,
} from "../rego/ast.js";
import { diagnostic, DiagnosticError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseModule } from "../rego/parser.js";
import type { Program, ResolvedRule, RuleGroup, RuleKind } from "./program.js";
import {
  checkDeclarations,
  checkSafety,
  checkSemantics,
  MAX_DIAGNOSTICS,
  RuleTree,
  sortDiagnostics,
} from "./check/index.js";
import {
  dataPathText,
  declaredVarsOfBody,
  patternVars,
  ROOT_DOCUMENTS,
  splitHeadRef,
} from "./check/vars.js";

export { splitHeadRef };

/** What a global name (a rule of the package or an import alias) stands for. */
interface GlobalName {
  /** `data` or `input`. */
  root: string;
  /** Static path below the root. */
  path: string[];
}

export interface ResolveResult {
  program: Program;
  /** Problems found while resolving imports and grouping rules. */
  diagnostics: Diagnostic[];
}

/**
 * Resolves names and groups rules (no safety ordering, no semantic checks). Always returns
 * a program; when two definitions conflict, the first one wins and the other is reported.
 */
export function resolveModules(modules: readonly Module[]): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const rulesByPackage = collectRuleNames(modules);
  const resolved = modules.map((m) => {
    const globals = moduleGlobals(m, rulesByPackage.get(packageKey(m)) ?? new Set(), diagnostics);
    return resolveModule(m, globals);
  });
  const groups = groupRules(resolved, diagnostics);
  checkOverlappingPaths(groups, diagnostics);
  return {
    program: { modules: resolved, groups, annotatedEntrypoints: collectEntrypoints(resolved) },
    diagnostics,
  };
}

function packageKey(m: Module): string {
  return m.package.path.join(".");
}

/** Rule names (first head element) defined in each package, across all its modules. */
function collectRuleNames(modules: readonly Module[]): Map<string, Set<string>> {
  const byPackage = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = packageKey(m);
    let names = byPackage.get(key);
    if (names === undefined) byPackage.set(key, (names = new Set()));
    for (const r of m.rules) names.add(r.head.name);
  }
  return byPackage;
}

// ---------------------------------------------------------------------------- imports

/** The alias an import binds: explicit, else the last path element. */
export function importAlias(imp: Import): string | undefined {
  if (imp.alias !== undefined) return imp.alias;
  if (imp.path.type === "var") return imp.path.name;
  const last = imp.path.path[imp.path.path.length - 1];
  return last?.type === "string" ? last.value : undefined;
}

function importRoot(imp: Import): string {
  return imp.path.type === "var" ? imp.path.name : (imp.path.head as VarTerm).name;
}

function importPathText(imp: Import): string {
  const root = importRoot(imp);
  if (imp.path.type === "var") return root;
  return [root, ...imp.path.path.map((t) => (t.type === "string" ? t.value : "?"))].join(".");
}

/** `rego.v1` and `future.keywords[.x]` only switch syntax on; later stages drop them. */
function isKeywordImport(imp: Import): boolean {
  const root = importRoot(imp);
  return root === "rego" || root === "future";
}

function validateKeywordImport(imp: Import, diagnostics: Diagnostic[]): void {
  const text = importPathText(imp);
  const ok =
    text === "rego.v1" || text === "future.keywords" || /^future\.keywords\.\w+$/.test(text);
  if (!ok) {
    diagnostics.push(diagnostic("rego_compile_error", `invalid import ${text}`, imp.loc));
  }
}

/** Globals of one module: its package's rules, then its imports (which take precedence). */
function moduleGlobals(
  m: Module,
  ruleNames: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): Map<string, GlobalName> {
  const globals = new Map<string, GlobalName>();
  for (const name of ruleNames) {
    // A rule named `input`/`data` is reported by the checks; the roots keep their meaning.
    if (!ROOT_DOCUMENTS.has(name))
      globals.set(name, { root: "data", path: [...m.package.path, name] });
  }
  const seen = new Map<string, Import>();
  for (const imp of m.imports) {
    if (isKeywordImport(imp)) {
      validateKeywordImport(imp, diagnostics);
      continue;
    }
    const alias = importAlias(imp);
    const root = importRoot(imp);
    if (alias === undefined) {
      diagnostics.push(
        diagnostic("rego_compile_error", `import ${importPathText(imp)} needs an alias`, imp.loc),
      );
      continue;
    }
    const earlier = seen.get(alias);
    if (earlier !== undefined) {
      diagnostics.push(
        diagnostic(
          "rego_compile_error",
          `import must not shadow import ${importPathText(earlier)}`,
          imp.loc,
        ),
      );
      continue;
    }
    seen.set(alias, imp);
    if (ruleNames.has(alias)) {
      diagnostics.push(
        diagnostic(
          "rego_compile_error",
          `import ${importPathText(imp)} conflicts with rule ${alias} of package ${m.package.path.join(".")}`,
          imp.loc,
        ),
      );
    }
    // `import input` / `import data` bind the root to itself: nothing to expand.
    if (imp.path.type === "var" && imp.alias === undefined) continue;
    const path = imp.path.type === "var" ? [] : imp.path.path.map((t) => (t as StringTerm).value);
    globals.set(alias, { root, path });
  }
  return globals;
}

// ---------------------------------------------------------------------------- terms

/** A lexical scope stack of local var names (a count per name, for O(1) lookups). */
class Scopes {
  private readonly frames: ReadonlySet<string>[] = [];
  private readonly counts = new Map<string, number>();

  push(names: ReadonlySet<string>): void {
    this.frames.push(names);
    for (const n of names) this.counts.set(n, (this.counts.get(n) ?? 0) + 1);
  }

  pop(): void {
    for (const n of this.frames.pop() ?? []) this.counts.set(n, (this.counts.get(n) ?? 1) - 1);
  }

  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }
}

class ModuleResolver {
  private readonly scopes = new Scopes();

  constructor(private readonly globals: ReadonlyMap<string, GlobalName>) {}

  /** The global a bare name stands for, unless a local declaration shadows it. */
  private global(name: string): GlobalName | undefined {
    if (this.scopes.has(name)) return undefined;
    return this.globals.get(name);
  }

  term(t: Term): Term {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return { ...t };
      case "var": {
        const g = this.global(t.name);
        return g === undefined ? { ...t } : globalRef(g, [], t.loc);
      }
      case "ref":
        return this.ref(t);
      case "array":
        return { type: "array", items: t.items.map((i) => this.term(i)), loc: t.loc };
      case "set":
        return { type: "set", items: t.items.map((i) => this.term(i)), loc: t.loc };
      case "object":
        return {
          type: "object",
          entries: t.entries.map(([k, v]) => [this.term(k), this.term(v)] as [Term, Term]),
          loc: t.loc,
        };
      case "arraycompr":
      case "setcompr":
        return this.withBodyScope(t.body, [], (body) => ({
          type: t.type,
          term: this.term(t.term),
          body,
          loc: t.loc,
        }));
      case "objectcompr":
        return this.withBodyScope(t.body, [], (body) => ({
          type: "objectcompr",
          key: this.term(t.key),
          value: this.term(t.value),
          body,
          loc: t.loc,
        }));
      case "call":
        return {
          type: "call",
          operator: this.operator(t.operator, t.infix === true),
          args: t.args.map((a) => this.term(a)),
          ...(t.infix === true ? { infix: true } : {}),
          loc: t.loc,
        };
    }
  }

  private ref(t: RefTerm): Term {
    const path = t.path.map((p) => this.term(p));
    if (t.head.type === "var") {
      const g = this.global(t.head.name);
      if (g !== undefined) return globalRef(g, path, t.loc, t.head.loc);
      return { type: "ref", head: { ...t.head }, path, loc: t.loc };
    }
    return { type: "ref", head: this.term(t.head), path, loc: t.loc };
  }

  /** Operators (infix) are builtins; other names may be user functions or imports. */
  private operator(op: readonly string[], infix: boolean): string[] {
    const first = op[0];
    if (infix || first === undefined || first === "data" || first === "input") return [...op];
    const g = this.global(first);
    if (g === undefined) return [...op];
    return [g.root, ...g.path, ...op.slice(1)];
  }

  /** Resolves a body (and what `inner` builds from it) with the body's declarations in scope. */
  withBodyScope<T>(body: Body, extraLocals: Iterable<string>, inner: (body: Body) => T): T {
    const locals = new Set(extraLocals);
    for (const v of declaredVarsOfBody(body)) locals.add(v.name);
    this.scopes.push(locals);
    try {
      return inner(body.map((e) => this.expr(e)));
    } finally {
      this.scopes.pop();
    }
  }

  expr(e: Expr): Expr {
    return {
      negated: e.negated,
      with: e.with.map((w) => this.withModifier(w)),
      body: this.exprBody(e.body),
      loc: e.loc,
    };
  }

  private withModifier(w: WithModifier): WithModifier {
    return { target: this.withTarget(w.target), value: this.term(w.value), loc: w.loc };
  }

  /** `with` targets name documents or functions; locals never shadow them. */
  private withTarget(t: Term): Term {
    if (t.type === "var") {
      const g = this.globals.get(t.name);
      return g === undefined ? { ...t } : globalRef(g, [], t.loc);
    }
    if (t.type === "ref" && t.head.type === "var") {
      const g = this.globals.get(t.head.name);
      const path = t.path.map((p) => this.term(p));
      if (g !== undefined) return globalRef(g, path, t.loc, t.head.loc);
      return { type: "ref", head: { ...t.head }, path, loc: t.loc };
    }
    return this.term(t);
  }

  private exprBody(b: ExprBody): ExprBody {
    switch (b.kind) {
      case "term":
        return { kind: "term", term: this.term(b.term) };
      case "assign":
      case "unify":
        return { kind: b.kind, lhs: this.term(b.lhs), rhs: this.term(b.rhs) };
      case "some":
        return { kind: "some", vars: b.vars.map((v) => ({ ...v })) };
      case "somein": {
        const out: ExprBody = {
          kind: "somein",
          value: this.term(b.value),
          collection: this.term(b.collection),
        };
        if (b.key !== undefined) out.key = this.term(b.key);
        return out;
      }
      case "every": {
        const domain = this.term(b.domain);
        const names = [b.value.name, ...(b.key === undefined ? [] : [b.key.name])];
        return this.withBodyScope(b.body, names, (body) => {
          const out: ExprBody = { kind: "every", value: { ...b.value }, domain, body };
          if (b.key !== undefined) out.key = { ...b.key };
          return out;
        });
      }
    }
  }
}

/** `data.<path>` / `input.<path>` followed by `rest`, located at the use site. */
function globalRef(g: GlobalName, rest: Term[], loc: Location, headLoc: Location = loc): RefTerm {
  const segments: Term[] = g.path.map((s) => ({ type: "string", value: s, loc: headLoc }));
  return {
    type: "ref",
    head: { type: "var", name: g.root, loc: headLoc },
    path: [...segments, ...rest],
    loc,
  };
}

// ---------------------------------------------------------------------------- rules

function resolveModule(m: Module, globals: ReadonlyMap<string, GlobalName>): Module {
  const r = new ModuleResolver(globals);
  return {
    type: "module",
    file: m.file,
    package: { path: [...m.package.path], loc: m.package.loc },
    imports: m.imports.filter((i) => !isKeywordImport(i)).map(copyImport),
    rules: m.rules.map((rule) => resolveRule(r, rule)),
    annotations: m.annotations.map(copyAnnotation),
    comments: m.comments.map((c) => ({ ...c })),
  };
}

function copyImport(i: Import): Import {
  const out: Import = { path: structuredClone(i.path), loc: i.loc };
  if (i.alias !== undefined) out.alias = i.alias;
  return out;
}

function copyAnnotation(a: Annotation): Annotation {
  return structuredClone(a);
}

function argLocals(head: RuleHead): string[] {
  return (head.args ?? []).flatMap((a) => patternVars(a).map((v) => v.name));
}

function resolveRule(r: ModuleResolver, rule: Rule): Rule {
  const args = argLocals(rule.head);
  const { head, body } = r.withBodyScope(rule.body, args, (body) => ({
    head: resolveHead(r, rule.head),
    body,
  }));
  return {
    type: "rule",
    default: rule.default,
    head,
    body,
    hasIf: rule.hasIf,
    else: rule.else.map((e) => resolveElse(r, e, args)),
    annotations: rule.annotations.map(copyAnnotation),
    loc: rule.loc,
  };
}

function resolveHead(r: ModuleResolver, h: RuleHead): RuleHead {
  const [name, ...rest] = h.ref;
  const head: RuleHead = {
    kind: h.kind,
    name: h.name,
    ref: [
      { ...(name as Term) } as Term,
      ...rest.map((t) => (t.type === "string" ? { ...t } : r.term(t))),
    ],
    loc: h.loc,
  };
  if (h.args !== undefined) head.args = h.args.map((a) => r.term(a));
  if (h.key !== undefined) head.key = r.term(h.key);
  if (h.value !== undefined) head.value = r.term(h.value);
  if (h.assign !== undefined) head.assign = h.assign;
  return head;
}

function resolveElse(r: ModuleResolver, e: ElseClause, args: string[]): ElseClause {
  return r.withBodyScope(e.body, args, (body) => {
    const out: ElseClause = { body, loc: e.loc };
    if (e.value !== undefined) out.value = r.term(e.value);
    if (e.assign !== undefined) out.assign = e.assign;
    return out;
  });
}

// ---------------------------------------------------------------------------- groups

function groupRules(modules: readonly Module[], diagnostics: Diagnostic[]): Map<string, RuleGroup> {
  const groups = new Map<string, RuleGroup>();
  for (const module of modules) {
    for (const rule of module.rules) {
      const split = splitHeadRef(rule.head);
      const path = [...module.package.path, ...split.path];
      const resolvedRule: ResolvedRule = { rule, module, keyTerms: split.keyTerms };
      const kind: RuleKind = rule.head.kind;
      const key = path.join(".");
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, newGroup(path, kind, resolvedRule));
        continue;
      }
      if (!compatible(group, kind, resolvedRule)) {
        diagnostics.push(
          diagnostic(
            "rego_type_error",
            `conflicting rules ${dataPathText(path)} found`,
            rule.head.loc,
          ),
        );
        continue;
      }
      if (rule.default) {
        if (group.default !== undefined) {
          diagnostics.push(
            diagnostic(
              "rego_type_error",
              `multiple default rules ${dataPathText(path)} found`,
              rule.loc,
            ),
          );
          continue;
        }
        group.default = resolvedRule;
      } else {
        group.rules.push(resolvedRule);
      }
    }
  }
  return groups;
}

function newGroup(path: string[], kind: RuleKind, first: ResolvedRule): RuleGroup {
  const group: RuleGroup = { path, kind, rules: [] };
  if (kind === "function") group.arity = first.rule.head.args?.length ?? 0;
  if (first.rule.default) group.default = first;
  else group.rules.push(first);
  return group;
}

/** Same kind, same function arity, same depth of dynamic key terms. */
function compatible(group: RuleGroup, kind: RuleKind, r: ResolvedRule): boolean {
  if (group.kind !== kind) return false;
  if (kind === "function" && group.arity !== (r.rule.head.args?.length ?? 0)) return false;
  const first = group.rules[0] ?? group.default;
  return first === undefined || first.keyTerms.length === r.keyTerms.length;
}

/**
 * A document defined by a rule cannot also hold other rules below it (`p := 1` and
 * `p.q := 2`, or package `a.p` next to rule `p` of package `a`): the engines would have to
 * merge them, so such programs are rejected.
 */
function checkOverlappingPaths(
  groups: ReadonlyMap<string, RuleGroup>,
  diagnostics: Diagnostic[],
): void {
  for (const group of groups.values()) {
    for (let n = group.path.length - 1; n > 0; n--) {
      const outer = groups.get(group.path.slice(0, n).join("."));
      if (outer === undefined) continue;
      const first = group.rules[0] ?? group.default;
      if (first === undefined) continue;
      diagnostics.push(
        diagnostic(
          "rego_type_error",
          `rule ${dataPathText(group.path)} conflicts with rule ${dataPathText(outer.path)}`,
          first.rule.head.loc,
        ),
      );
      break;
    }
  }
}

// ---------------------------------------------------------------------------- entrypoints

function isEntrypoint(a: Annotation): boolean {
  return a.entrypoint === true;
}

function collectEntrypoints(modules: readonly Module[]): string[] {
  const out = new Set<string>();
  for (const m of modules) {
    if (m.annotations.some((a) => a.scope !== "document" && isEntrypoint(a))) {
      out.add(m.package.path.join("."));
    }
    for (const rule of m.rules) {
      if (rule.annotations.some(isEntrypoint)) {
        out.add([...m.package.path, ...splitHeadRef(rule.head).path].join("."));
      }
    }
  }
  return [...out];
}

// ---------------------------------------------------------------------------- program

/**
 * Resolves, groups, checks and orders a program: the one call the planner and the
 * reference evaluator need. Throws one DiagnosticError with every problem found (sorted by
 * file, line and column; at most MAX_DIAGNOSTICS).
 */
export function buildProgram(modules: readonly Module[]): Program {
  const { program, diagnostics } = buildProgramWithDiagnostics(modules);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics.slice(0, MAX_DIAGNOSTICS));
  return program;
}

/** As buildProgram, but returns the diagnostics (sorted, uncapped) instead of throwing. */
export function buildProgramWithDiagnostics(modules: readonly Module[]): ResolveResult {
  const { program, diagnostics } = resolveModules(modules);
  const tree = new RuleTree(program);
  const all = [
    ...diagnostics,
    ...checkDeclarations(program),
    ...checkSafety(program, true, tree),
    ...checkSemantics(program, tree),
  ];
  return { program, diagnostics: sortDiagnostics(all) };
}

/** Source text of one module. */
export interface SourceFile {
  file: string;
  text: string;
}

/**
 * Parses, builds and checks modules from source. Throws one DiagnosticError with every
 * parse error (when any file fails to parse), or with every check error.
 */
export function compileModules(sources: readonly SourceFile[]): Program {
  const modules: Module[] = [];
  const errors: Diagnostic[] = [];
  for (const s of sources) {
    try {
      modules.push(parseModule(s.text, s.file));
    } catch (err) {
      if (!(err instanceof DiagnosticError)) throw err;
      errors.push(...err.diagnostics);
    }
  }
  if (errors.length > 0)
    throw new DiagnosticError(sortDiagnostics(errors).slice(0, MAX_DIAGNOSTICS));
  return buildProgram(modules);
}
