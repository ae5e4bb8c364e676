// Name resolution and rule grouping: turns parsed modules into the `Program` contract
// (src/compiler/program.ts). The parser's output is never modified: every module, rule,
// head and body of the program is a fresh object (safety ordering rewrites bodies in
// place). Expressions and terms are never modified after parsing, so one that resolution
// leaves unchanged (a literal, a local var, `input.x`, `x > 1`) is shared with the parser's
// output rather than copied, as locations are: copying every node cost the front end a
// large share of its time, most of it in the garbage collector.
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
  for (let i = 0; i < modules.length; i++) {
    const m = modules[i]!;
    const key = packageKey(m);
    let names = byPackage.get(key);
    if (names === undefined) byPackage.set(key, (names = new Set()));
    for (let j = 0; j < m.rules.length; j++) names.add(m.rules[j]!.head.name);
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
  for (let i = 0; i < m.imports.length; i++) {
    const imp = m.imports[i]!;
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

/**
 * A lexical scope stack of local var names (a count per name, for O(1) lookups). A frame is
 * the list of names its scope declares; a name listed twice is counted twice and uncounted
 * twice, so frames need no deduplication.
 */
class Scopes {
  private readonly frames: string[][] = [];
  private readonly counts = new Map<string, number>();

  push(names: string[]): void {
    this.frames.push(names);
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      this.counts.set(n, (this.counts.get(n) ?? 0) + 1);
    }
  }

  pop(): void {
    const names = this.frames.pop() ?? [];
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      this.counts.set(n, (this.counts.get(n) ?? 1) - 1);
    }
  }

  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }
}

/**
 * Copies a module's terms with names resolved. Runs over every node of the program, so it
 * builds each copy directly (no closures, no intermediate arrays or sets per scope).
 */
class ModuleResolver {
  private readonly scopes = new Scopes();

  constructor(private readonly globals: ReadonlyMap<string, GlobalName>) {}

  /** The global a bare name stands for, unless a local declaration shadows it. */
  private global(name: string): GlobalName | undefined {
    if (this.scopes.has(name)) return undefined;
    return this.globals.get(name);
  }

  /** `t` with names resolved: `t` itself when resolution changes nothing in it. */
  term(t: Term): Term {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return t;
      case "var": {
        const g = this.global(t.name);
        return g === undefined ? t : globalRef(g, [], t.loc);
      }
      case "ref":
        return this.ref(t);
      case "array":
      case "set": {
        const items = this.terms(t.items);
        return items === t.items ? t : { type: t.type, items, loc: t.loc };
      }
      case "object": {
        const entries = this.entries(t.entries);
        return entries === t.entries ? t : { type: "object", entries, loc: t.loc };
      }
      case "arraycompr":
      case "setcompr": {
        const body = this.openBody(t.body, []);
        const term = this.term(t.term);
        this.closeBody();
        return { type: t.type, term, body, loc: t.loc };
      }
      case "objectcompr": {
        const body = this.openBody(t.body, []);
        const key = this.term(t.key);
        const value = this.term(t.value);
        this.closeBody();
        return { type: "objectcompr", key, value, body, loc: t.loc };
      }
      case "call": {
        const operator = this.operator(t.operator, t.infix === true);
        const args = this.terms(t.args);
        if (operator === t.operator && args === t.args) return t;
        return t.infix === true
          ? { type: "call", operator, args, infix: true, loc: t.loc }
          : { type: "call", operator, args, loc: t.loc };
      }
    }
  }

  /** The terms resolved: `ts` itself when none changes (copied on the first change). */
  terms(ts: Term[]): Term[] {
    let out: Term[] | undefined;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i] as Term;
      const r = this.term(t);
      if (r !== t) (out ??= ts.slice())[i] = r;
    }
    return out ?? ts;
  }

  private entries(entries: [Term, Term][]): [Term, Term][] {
    let out: [Term, Term][] | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as [Term, Term];
      const k = this.term(entry[0]);
      const v = this.term(entry[1]);
      if (k !== entry[0] || v !== entry[1]) (out ??= entries.slice())[i] = [k, v];
    }
    return out ?? entries;
  }

  private ref(t: RefTerm): Term {
    if (t.head.type === "var") {
      const g = this.global(t.head.name);
      if (g !== undefined) return globalRef(g, t.path, t.loc, t.head.loc, this);
    }
    const head = this.term(t.head);
    const path = this.terms(t.path);
    return head === t.head && path === t.path ? t : { type: "ref", head, path, loc: t.loc };
  }

  /** Operators (infix) are builtins; other names may be user functions or imports. */
  private operator(op: string[], infix: boolean): string[] {
    const first = op[0];
    if (infix || first === undefined || first === "data" || first === "input") return op;
    const g = this.global(first);
    if (g === undefined) return op;
    const resolved = [g.root];
    for (let i = 0; i < g.path.length; i++) resolved.push(g.path[i]!);
    for (let i = 1; i < op.length; i++) resolved.push(op[i]!);
    return resolved;
  }

  /**
   * Opens the scope of a body (its declarations plus `extraLocals`) and returns the body
   * resolved in it. The caller resolves what else belongs to the scope (a comprehension's
   * head, a rule's head) and then closes it with `closeBody`.
   */
  openBody(body: Body, extraLocals: readonly string[]): Body {
    const locals = extraLocals.slice();
    const declared = declaredVarsOfBody(body);
    for (let i = 0; i < declared.length; i++) locals.push(declared[i]!.name);
    this.scopes.push(locals);
    // A copy first, then resolved in place: a packed array of the body's exact size.
    const out = body.slice();
    for (let i = 0; i < out.length; i++) out[i] = this.expr(out[i] as Expr);
    return out;
  }

  closeBody(): void {
    this.scopes.pop();
  }

  /** `e` with names resolved: `e` itself when resolution changes nothing in it. */
  expr(e: Expr): Expr {
    const withs = this.withModifiers(e.with);
    const body = this.exprBody(e.body);
    if (withs === e.with && body === e.body) return e;
    return { negated: e.negated, with: withs, body, loc: e.loc };
  }

  private withModifiers(ws: WithModifier[]): WithModifier[] {
    let out: WithModifier[] | undefined;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i] as WithModifier;
      const r = this.withModifier(w);
      if (r !== w) (out ??= ws.slice())[i] = r;
    }
    return out ?? ws;
  }

  private withModifier(w: WithModifier): WithModifier {
    const target = this.withTarget(w.target);
    const value = this.term(w.value);
    return target === w.target && value === w.value ? w : { target, value, loc: w.loc };
  }

  /** `with` targets name documents or functions; locals never shadow them. */
  private withTarget(t: Term): Term {
    if (t.type === "var") {
      const g = this.globals.get(t.name);
      return g === undefined ? t : globalRef(g, [], t.loc);
    }
    if (t.type === "ref" && t.head.type === "var") {
      const g = this.globals.get(t.head.name);
      if (g !== undefined) return globalRef(g, t.path, t.loc, t.head.loc, this);
      const path = this.terms(t.path);
      return path === t.path ? t : { type: "ref", head: t.head, path, loc: t.loc };
    }
    return this.term(t);
  }

  /**
   * `b` with names resolved: `b` itself when resolution changes nothing in it, except for
   * `every` (its body gets reordered in place, so it is always a fresh array) and `some k,
   * v in` (built with its `key` last, as the program always has it).
   */
  private exprBody(b: ExprBody): ExprBody {
    switch (b.kind) {
      case "term": {
        const term = this.term(b.term);
        return term === b.term ? b : { kind: "term", term };
      }
      case "assign":
      case "unify": {
        const lhs = this.term(b.lhs);
        const rhs = this.term(b.rhs);
        return lhs === b.lhs && rhs === b.rhs ? b : { kind: b.kind, lhs, rhs };
      }
      case "some":
        return b;
      case "somein": {
        const value = this.term(b.value);
        const collection = this.term(b.collection);
        if (b.key === undefined && value === b.value && collection === b.collection) return b;
        const out: ExprBody = { kind: "somein", value, collection };
        if (b.key !== undefined) out.key = this.term(b.key);
        return out;
      }
      case "every":
        return this.every(b);
    }
  }

  private every(b: Extract<ExprBody, { kind: "every" }>): ExprBody {
    const domain = this.term(b.domain);
    const names = b.key === undefined ? [b.value.name] : [b.value.name, b.key.name];
    const body = this.openBody(b.body, names);
    this.closeBody();
    const out: ExprBody = { kind: "every", value: b.value, domain, body };
    if (b.key !== undefined) out.key = b.key;
    return out;
  }
}

/**
 * `data.<path>` / `input.<path>` followed by `rest` (resolved by `resolver` when given),
 * located at the use site.
 */
function globalRef(
  g: GlobalName,
  rest: Term[],
  loc: Location,
  headLoc: Location = loc,
  resolver?: ModuleResolver,
): RefTerm {
  const segments = g.path.map((s): Term => ({ type: "string", value: s, loc: headLoc }));
  const tail = resolver === undefined ? rest : resolver.terms(rest);
  return {
    type: "ref",
    head: { type: "var", name: g.root, loc: headLoc },
    path: tail.length === 0 ? segments : segments.concat(tail),
    loc,
  };
}

// ---------------------------------------------------------------------------- rules

function resolveModule(m: Module, globals: ReadonlyMap<string, GlobalName>): Module {
  const r = new ModuleResolver(globals);
  const rules = m.rules.map((rule) => resolveRule(r, rule));
  return {
    type: "module",
    file: m.file,
    package: { path: [...m.package.path], loc: m.package.loc },
    imports: m.imports.filter((i) => !isKeywordImport(i)).map(copyImport),
    rules,
    annotations: m.annotations.map(copyAnnotation),
    comments: m.comments.map((c) => ({ ...c })),
  };
}

function copyImport(i: Import): Import {
  const out: Import = { path: clonePlain(i.path), loc: i.loc };
  if (i.alias !== undefined) out.alias = i.alias;
  return out;
}

/**
 * A deep copy of plain data (objects, arrays, primitives), as structuredClone makes it for
 * such data, at a fraction of its cost: import paths are small and there is one per import.
 */
function clonePlain<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = clonePlain(v);
  return out as T;
}

function copyAnnotation(a: Annotation): Annotation {
  return structuredClone(a);
}

function argLocals(head: RuleHead): string[] {
  const names: string[] = [];
  for (const a of head.args ?? []) for (const v of patternVars(a)) names.push(v.name);
  return names;
}

function resolveRule(r: ModuleResolver, rule: Rule): Rule {
  const args = argLocals(rule.head);
  const body = r.openBody(rule.body, args);
  const head = resolveHead(r, rule.head);
  r.closeBody();
  return {
    type: "rule",
    default: rule.default,
    head,
    body,
    hasIf: rule.hasIf,
    // Empty lists (most rules have no else and no annotation) are shared, not copied.
    else: rule.else.length === 0 ? rule.else : rule.else.map((e) => resolveElse(r, e, args)),
    annotations:
      rule.annotations.length === 0 ? rule.annotations : rule.annotations.map(copyAnnotation),
    loc: rule.loc,
  };
}

function resolveHead(r: ModuleResolver, h: RuleHead): RuleHead {
  // The first element names the rule itself: never a reference to resolve.
  const ref = h.ref.slice();
  for (let i = 1; i < ref.length; i++) ref[i] = r.term(ref[i] as Term);
  const head: RuleHead = { kind: h.kind, name: h.name, ref, loc: h.loc };
  if (h.args !== undefined) head.args = r.terms(h.args);
  if (h.key !== undefined) head.key = r.term(h.key);
  if (h.value !== undefined) head.value = r.term(h.value);
  if (h.assign !== undefined) head.assign = h.assign;
  return head;
}

function resolveElse(r: ModuleResolver, e: ElseClause, args: readonly string[]): ElseClause {
  const out: ElseClause = { body: r.openBody(e.body, args), loc: e.loc };
  if (e.value !== undefined) out.value = r.term(e.value);
  r.closeBody();
  if (e.assign !== undefined) out.assign = e.assign;
  return out;
}

// ---------------------------------------------------------------------------- groups

function groupRules(modules: readonly Module[], diagnostics: Diagnostic[]): Map<string, RuleGroup> {
  const groups = new Map<string, RuleGroup>();
  for (let i = 0; i < modules.length; i++) {
    const module = modules[i]!;
    const pkg = packageKey(module);
    for (let j = 0; j < module.rules.length; j++) {
      const rule = module.rules[j]!;
      const split = splitHeadRef(rule.head);
      const resolvedRule: ResolvedRule = { rule, module, keyTerms: split.keyTerms };
      const kind: RuleKind = rule.head.kind;
      const key = ruleKey(pkg, split.path);
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, newGroup(rulePath(module, split.path), kind, resolvedRule));
        continue;
      }
      if (!compatible(group, kind, resolvedRule)) {
        diagnostics.push(
          diagnostic(
            "rego_type_error",
            `conflicting rules ${dataPathText(rulePath(module, split.path))} found`,
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
              `multiple default rules ${dataPathText(rulePath(module, split.path))} found`,
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

/** A rule's full path: its package's, then the static part of its head. */
function rulePath(module: Module, headPath: readonly string[]): string[] {
  return [...module.package.path, ...headPath];
}

/**
 * `rulePath(...).join(".")` from the package's key (`packageKey`), computed once per module
 * rather than once per rule.
 */
function ruleKey(pkg: string, headPath: readonly string[]): string {
  const own = headPath.length === 1 ? (headPath[0] as string) : headPath.join(".");
  return pkg === "" ? own : `${pkg}.${own}`;
}

function newGroup(path: string[], kind: RuleKind, first: ResolvedRule): RuleGroup {
  // Most groups have one rule: a literal holds it without spare capacity.
  const group: RuleGroup = { path, kind, rules: first.rule.default ? [] : [first] };
  if (kind === "function") group.arity = first.rule.head.args?.length ?? 0;
  if (first.rule.default) group.default = first;
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
  // forEach rather than for-of: no iterator result per group before the code is optimized.
  groups.forEach((group, key) => {
    // The key of the path's first n elements, trimmed from the full key one element at a time.
    let prefix = key;
    for (let n = group.path.length - 1; n > 0; n--) {
      prefix = prefix.slice(0, prefix.length - (group.path[n] as string).length - 1);
      const outer = groups.get(prefix);
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
  });
}

// ---------------------------------------------------------------------------- entrypoints

function isEntrypoint(a: Annotation): boolean {
  return a.entrypoint === true;
}

function collectEntrypoints(modules: readonly Module[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < modules.length; i++) {
    const m = modules[i]!;
    if (m.annotations.some((a) => a.scope !== "document" && isEntrypoint(a))) {
      out.add(m.package.path.join("."));
    }
    for (let j = 0; j < m.rules.length; j++) {
      const rule = m.rules[j]!;
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
