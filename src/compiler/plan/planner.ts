// The planner: turns the checked program (src/compiler/program.ts) into the IR of
// src/compiler/ir.ts. Only what the entrypoints reach is planned (rule groups and virtual
// documents are planned on first reference), which is the first half of dead-code
// elimination; binaryen removes the unused runtime afterwards.
//
// Bodies are planned in continuation-passing style: planning an expression emits its
// statements and calls the continuation where the rest of the body goes — inside the loop
// when the expression iterates, so backtracking is structural.
import type {
  Body,
  CallTerm,
  Expr,
  Location,
  RefTerm,
  Term,
  VarTerm,
  WithModifier,
} from "../../rego/ast.js";
import { DiagnosticError, diagnostic } from "../../diagnostics/diagnostic.js";
import { valueKey, type Value } from "../../value/value.js";
import type { Program, ResolvedRule, RuleGroup } from "../program.js";
import { TAG, type Conflict, type Func, type Local, type Plan, type Stmt } from "../ir.js";
import { DATA, FuncEmitter, INPUT, sourceLoc } from "./emitter.js";
import { findRuleIndex, stringPath, type RuleIndex } from "./ruleindex.js";
import { constantValue, isConstant } from "../../rego/constants.js";
import { ROOT_DOCUMENTS, patternVars } from "../check/vars.js";

export interface PlanOptions {
  /** Entrypoints as slash (`a/b/p`) or dotted (`a.b.p`, `data.a.b.p`) paths. */
  entrypoints: string[];
  /** Compile `print` to opa_println calls (otherwise print compiles away). */
  debug?: boolean;
  /** Dispatch rule bodies through an index on tested input values (default on). */
  index?: boolean;
  /** Arity of a builtin (for calls with an output argument); defaults to the call's args. */
  builtinArity?: (name: string) => number | undefined;
  /** Base data to embed in the module (used when the host sets none). */
  embeddedData?: Value;
  /** Builtins that return a list of results to iterate (e.g. `walk`). */
  relationBuiltins?: ReadonlySet<string>;
  /**
   * The build-time value of a constant group (dotted path; see src/compiler/fold.ts), or
   * undefined to plan its rules. Asked only for groups planned outside any `with`.
   */
  constantValue?: (path: string) => Value | undefined;
}

/** Groups with more (non-indexed) rules or index cases than this plan them as functions. */
const MAX_INLINE_RULES = 64;

const CONFLICT_COMPLETE = "complete rules must not produce multiple outputs";
const CONFLICT_OBJECT = "object keys must be unique";
const CONFLICT_FUNCTION = "functions must not produce multiple outputs for same inputs";

interface TrieNode {
  children: Map<string, TrieNode>;
  group?: RuleGroup;
}

/** What the body being planned can see: bound vars and the current input/data. */
interface Scope {
  vars: Map<string, Local>;
  input: Local;
  data: Local;
  /**
   * Data paths a `with` replaced in this context: refs under them read the (replaced) data
   * document instead of calling rules. Functions planned in such a context are separate
   * specialisations, so the rules they call see the replacement too.
   */
  overrides: readonly string[][];
}

type Cont = () => void;
type ValueCont = (v: Local) => void;

export function planProgram(program: Program, options: PlanOptions): Plan {
  return new Planner(program, options).run();
}

class Planner {
  private readonly funcs: Func[] = [];
  private readonly planned = new Map<string, string>();
  private readonly queue: (() => void)[] = [];
  private readonly constants: Value[] = [];
  private readonly constantIndex = new Map<string, number>();
  private readonly builtins = new Set<string>();
  private readonly labels = { next: 0 };
  private readonly trie: TrieNode = { children: new Map() };
  private readonly stats = { indexedGroups: 0, indexedBodies: 0 };
  private f!: FuncEmitter;

  constructor(
    private readonly program: Program,
    private readonly options: PlanOptions,
  ) {
    for (const group of program.groups.values()) this.addToTrie(group);
  }

  run(): Plan {
    const entrypoints = this.options.entrypoints.map((name) => {
      const path = entrypointPath(name);
      return { name: path.join("/"), func: this.entrypointFunc(path) };
    });
    while (this.queue.length > 0) this.queue.shift()!();
    const embedded = this.options.embeddedData;
    return {
      ...(embedded === undefined ? {} : { embeddedData: this.constIndex(embedded) }),
      funcs: this.funcs,
      entrypoints,
      constants: this.constants.map((value) => ({ value })),
      builtins: [...this.builtins].sort(),
      stats: this.stats,
    };
  }

  // ------------------------------------------------------------------ functions

  private addToTrie(group: RuleGroup): void {
    let node = this.trie;
    for (const seg of group.path) {
      let child = node.children.get(seg);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(seg, child);
      }
      node = child;
    }
    node.group = group;
  }

  /** Plans a function body with a fresh emitter, restoring the current one afterwards. */
  private withFunc(
    name: string,
    params: number,
    cached: boolean,
    fill: (result: Local, scope: Scope) => void,
    overrides: readonly string[][] = [],
  ): Func {
    const saved = this.f;
    this.f = new FuncEmitter(params, this.labels);
    const result = this.f.local();
    this.f.emit({ op: "reset", target: result });
    fill(result, { vars: new Map(), input: INPUT, data: DATA, overrides });
    const func: Func = {
      name,
      params,
      locals: this.f.localCount,
      body: [...this.f.prologue, ...this.f.body],
      result,
      cached,
    };
    this.f = saved;
    this.funcs.push(func);
    return func;
  }

  /** Name of the function computing a rule group, planned later on first use. */
  private groupFunc(group: RuleGroup, overrides: readonly string[][]): string {
    const suffix = overrideSuffix(overrides);
    const key = "g:" + group.path.join(".") + suffix;
    const existing = this.planned.get(key);
    if (existing !== undefined) return existing;
    const name = "rego$" + group.path.join(".") + suffix;
    this.planned.set(key, name);
    this.queue.push(() => this.planGroup(group, name, overrides));
    return name;
  }

  /** Name of the function building the virtual document at `path` (rules + base data). */
  private virtualDocFunc(node: TrieNode, path: string[], overrides: readonly string[][]): string {
    const suffix = overrideSuffix(overrides);
    const key = "v:" + path.join(".") + suffix;
    const existing = this.planned.get(key);
    if (existing !== undefined) return existing;
    const name = "doc$" + (path.length === 0 ? "data" : path.join(".")) + suffix;
    this.planned.set(key, name);
    this.queue.push(() => this.planVirtualDoc(node, path, name, overrides));
    return name;
  }

  private entrypointFunc(path: string[]): string {
    const name = "entry$" + path.join("/");
    const ref = {
      type: "ref",
      head: { type: "var", name: "data", loc: SYNTHETIC },
      path: path.map((value) => ({ type: "string", value, loc: SYNTHETIC })),
      loc: SYNTHETIC,
    } as RefTerm;
    this.withFunc(name, 0, false, (result, scope) => {
      this.f.block(() => this.planTerm(ref, scope, (v) => this.assign(v, result)));
    });
    return name;
  }

  private planVirtualDoc(
    node: TrieNode,
    path: string[],
    name: string,
    overrides: readonly string[][],
  ): void {
    this.withFunc(
      name,
      0,
      true,
      (result, scope) => {
        this.f.emit({ op: "makeobject", target: result });
        this.f.block(() => {
          const base = this.pathLookup(scope.data, path);
          this.f.emit({ op: "istype", source: base, tag: TAG.object });
          this.f.scan(base, (k, v) => {
            this.f.emit({ op: "objectset", object: result, key: k, value: v });
          });
        });
        for (const [seg, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (child.group?.kind === "function") continue;
          // A replaced child already came with the (replaced) base data above.
          if (overrides.some((o) => samePath(o, [...path, seg]))) continue;
          this.f.block(() => {
            const v = this.f.local();
            const func = child.group
              ? this.groupFunc(child.group, overrides)
              : this.virtualDocFunc(child, [...path, seg], overrides);
            this.f.emit({
              op: "call",
              func,
              args: [scope.input, scope.data],
              target: v,
              loc: SYNTHETIC_LOC,
            });
            const k = this.constLocal(seg);
            this.f.emit({ op: "objectset", object: result, key: k, value: v });
          });
        }
      },
      overrides,
    );
  }

  /** `base.<path>` as a chain of lookups (fails when absent), e.g. data over base documents. */
  private pathLookup(base: Local, path: readonly string[]): Local {
    let cur = base;
    this.f.emit({ op: "defined", source: cur });
    for (const seg of path) {
      const next = this.f.local();
      this.f.emit({ op: "dot", source: cur, key: this.constLocal(seg), target: next });
      cur = next;
    }
    return cur;
  }

  // ------------------------------------------------------------------ rule groups

  private planGroup(group: RuleGroup, name: string, overrides: readonly string[][]): void {
    const folded =
      overrides.length === 0 ? this.options.constantValue?.(group.path.join(".")) : undefined;
    if (folded !== undefined) {
      this.withFunc(name, 0, true, (result) => this.assign(this.constLocal(folded), result));
      return;
    }
    const params = group.kind === "function" ? (group.arity ?? 0) : 0;
    this.withFunc(
      name,
      params,
      params === 0,
      (result, scope) => {
        if (group.kind === "set") {
          this.f.emit({ op: "makeset", target: result });
        } else if (group.kind === "object" || hasKeyTerms(group)) {
          this.f.emit({ op: "makeobject", target: result });
        }
        const constantValue = this.sharedConstantValue(group);
        this.f.block((groupLabel) => {
          const exit = constantValue ? groupLabel : undefined;
          // Folded constants stand for their rules only where no `with` replaces data.
          const constantOf = overrides.length === 0 ? (t: Term) => this.foldedRef(t) : undefined;
          const index =
            this.options.index === false ? undefined : findRuleIndex(group.rules, constantOf);
          const indexed = new Map<number, number>();
          if (index !== undefined) {
            index.bodies.forEach((b) => indexed.set(b.rule, b.expr));
            this.planIndex(group, index, result, scope, exit);
          }
          // Past a few rules, each rule is a function of its own: engines limit locals per
          // function, and compile huge functions slowly and with a lot of memory.
          const separate = group.rules.length - indexed.size > MAX_INLINE_RULES;
          group.rules.forEach((r, i) => {
            if (indexed.has(i)) return;
            if (!separate) return this.planRuleChain(group, r, r.rule.body, result, scope, exit);
            const rules = [{ r, body: r.rule.body }];
            const func = this.planRulesFunc(group, `#r${i}`, rules, scope, exit !== undefined);
            this.callRulesFunc(group, func, result, scope, exit);
          });
        });
        if (group.default !== undefined) this.planDefault(group.default, result, scope);
      },
      overrides,
    );
  }

  /** The build-time value of `data.<rule>` when that rule was folded to a constant. */
  private foldedRef(t: Term): Value | undefined {
    const path = stringPath(t, "data");
    return path === undefined ? undefined : this.options.constantValue?.(path.join("."));
  }

  /** True when every rule of the group yields the same constant (e.g. `allow if ...`). */
  private sharedConstantValue(group: RuleGroup): boolean {
    if (group.kind === "set" || group.kind === "object" || hasKeyTerms(group)) return false;
    let key: string | undefined;
    for (const r of group.rules) {
      if (r.rule.else.length > 0) return false;
      const v = r.rule.head.value;
      if (v !== undefined && !isConstant(v)) return false;
      const k = valueKey(v === undefined ? true : constantValue(v));
      if (key !== undefined && key !== k) return false;
      key = k;
    }
    return key !== undefined;
  }

  private planIndex(
    group: RuleGroup,
    index: RuleIndex,
    result: Local,
    scope: Scope,
    exit: number | undefined,
  ): void {
    this.stats.indexedGroups++;
    this.stats.indexedBodies += index.bodies.length;
    const cases = new Map<string, { key: number; body: Stmt[] }>();
    this.f.block(() => {
      const cur = this.inputPath(index.path, scope);
      const byCase = new Map<string, { key: number; rules: { r: ResolvedRule; body: Body }[] }>();
      for (const b of index.bodies) {
        const r = group.rules[b.rule]!;
        const body = r.rule.body.filter((_, i) => i !== b.expr);
        for (const key of b.keys) {
          const id = valueKey(key);
          let c = byCase.get(id);
          if (c === undefined) {
            c = { key: this.constIndex(key), rules: [] };
            byCase.set(id, c);
          }
          c.rules.push({ r, body });
        }
      }
      // A few cases stay inline (no call, one function for binaryen to optimise); many
      // become functions of their own, so no function grows with the rule count.
      const separate = byCase.size > MAX_INLINE_RULES;
      for (const c of byCase.values()) {
        const body: Stmt[] = [];
        if (separate) {
          const func = this.planRulesFunc(
            group,
            `#${cases.size}`,
            c.rules,
            scope,
            exit !== undefined,
          );
          this.f.into(body, () => this.callRulesFunc(group, func, result, scope, exit));
        } else {
          this.f.into(body, () => {
            for (const { r, body: rb } of c.rules)
              this.planRuleChain(group, r, rb, result, scope, exit);
          });
        }
        cases.set(String(cases.size), { key: c.key, body });
      }
      this.f.emit({ op: "index", source: cur, cases: [...cases.values()] });
    });
  }

  /**
   * Rule bodies as a function of their own (input, data, args..., result so far) → result:
   * one per index case, or per rule of a large group, so a group of thousands of rules is
   * many small functions (compiled lazily by engines, optimised quickly by binaryen).
   */
  private planRulesFunc(
    group: RuleGroup,
    suffix: string,
    rules: readonly { r: ResolvedRule; body: Body }[],
    scope: Scope,
    earlyExit: boolean,
  ): string {
    const arity = group.kind === "function" ? (group.arity ?? 0) : 0;
    const name = `${this.groupFunc(group, scope.overrides)}${suffix}`;
    this.withFunc(
      name,
      arity + 1,
      false,
      (result, inner) => {
        this.f.emit({ op: "assign", source: 2 + arity, target: result });
        this.f.block((label) => {
          for (const { r, body } of rules) {
            this.planRuleChain(group, r, body, result, inner, earlyExit ? label : undefined);
          }
        });
      },
      scope.overrides,
    );
    return name;
  }

  /** result := func(input, data, args..., result); leaves the group early when allowed. */
  private callRulesFunc(
    group: RuleGroup,
    func: string,
    result: Local,
    scope: Scope,
    exit: number | undefined,
  ): void {
    const arity = group.kind === "function" ? (group.arity ?? 0) : 0;
    const args = Array.from({ length: arity }, (_, i) => 2 + i);
    this.f.emit({
      op: "call",
      func,
      args: [scope.input, scope.data, ...args, result],
      target: result,
      loc: SYNTHETIC_LOC,
      keepUndefined: true,
    });
    if (exit === undefined) return;
    this.f.block(() => {
      this.f.emit({ op: "defined", source: result });
      this.f.emit({ op: "break", label: exit });
    });
  }

  /** One rule with its else clauses; the first clause with a value wins. */
  private planRuleChain(
    group: RuleGroup,
    r: ResolvedRule,
    body: Body,
    result: Local,
    outer: Scope,
    exit: number | undefined,
  ): void {
    const rule = r.rule;
    if (rule.else.length === 0) {
      this.f.block(() =>
        this.planClause(group, r, body, rule.head.value, rule.loc, result, outer, exit),
      );
      return;
    }
    // Each clause's value is checked against the result at that clause's location (an
    // `else` has its own, at the keyword), as OPA reports conflicts.
    const chain = this.f.local();
    this.f.emit({ op: "reset", target: chain });
    this.f.block((chainLabel) => {
      const clauses = [
        { body, value: rule.head.value, loc: rule.loc },
        ...rule.else.map((e) => ({ body: e.body, value: e.value, loc: e.loc })),
      ];
      for (const c of clauses) {
        this.f.block(() =>
          this.planClause(group, r, c.body, c.value, c.loc, chain, outer, undefined),
        );
        this.f.block(() => {
          this.f.emit({ op: "defined", source: chain });
          this.f.emit({
            op: "setonce",
            target: result,
            value: chain,
            conflict: this.conflict(group, c.loc),
          });
          this.f.emit({ op: "break", label: chainLabel });
        });
      }
    });
  }

  /** Plans the head arguments, the body and what each solution contributes to `result`. */
  private planClause(
    group: RuleGroup,
    r: ResolvedRule,
    body: Body,
    value: Term | undefined,
    loc: Location,
    result: Local,
    outer: Scope,
    exit: number | undefined,
  ): void {
    const scope: Scope = { ...outer, vars: new Map() };
    const head = r.rule.head;
    const args = head.args ?? [];
    const bindArgs = (i: number, k: Cont): void => {
      if (i === args.length) return k();
      this.destructure(args[i]!, 2 + i, scope, () => bindArgs(i + 1, k));
    };
    bindArgs(0, () =>
      this.planBody(body, scope, () => this.contribute(group, r, value, loc, result, scope, exit)),
    );
  }

  private contribute(
    group: RuleGroup,
    r: ResolvedRule,
    value: Term | undefined,
    clauseLoc: Location,
    result: Local,
    scope: Scope,
    exit: number | undefined,
  ): void {
    const head = r.rule.head;
    if (group.kind === "set") {
      if (r.keyTerms.length > 0) this.unsupported("a multi-value rule with a ref head", head.loc);
      this.planTerm(head.key!, scope, (k) => this.f.emit({ op: "setadd", set: result, value: k }));
      return;
    }
    const valueTerm = value ?? trueTerm(head.loc);
    if (group.kind === "object" || r.keyTerms.length > 0) {
      this.planTerms(r.keyTerms, scope, (keys) =>
        this.planTerm(valueTerm, scope, (v) => {
          let obj = result;
          for (const k of keys.slice(0, -1)) {
            const child = this.f.local();
            this.f.emit({
              op: "objectchild",
              object: obj,
              key: k,
              target: child,
              loc: sourceLoc(head.loc),
            });
            obj = child;
          }
          this.f.emit({
            op: "objectinsert",
            object: obj,
            key: keys[keys.length - 1]!,
            value: v,
            conflict: {
              code: "eval_conflict_error",
              message: CONFLICT_OBJECT,
              loc: sourceLoc(head.loc),
            },
          });
        }),
      );
      return;
    }
    this.planTerm(valueTerm, scope, (v) => {
      this.f.emit({
        op: "setonce",
        target: result,
        value: v,
        conflict: this.conflict(group, clauseLoc),
      });
      if (exit !== undefined) this.f.emit({ op: "break", label: exit });
    });
  }

  private conflict(group: RuleGroup, loc: Location): Conflict {
    const message = group.kind === "function" ? CONFLICT_FUNCTION : CONFLICT_COMPLETE;
    return { code: "eval_conflict_error", message, loc: sourceLoc(loc) };
  }

  private planDefault(r: ResolvedRule, result: Local, scope: Scope): void {
    this.f.block(() => {
      this.f.emit({ op: "undefined", source: result });
      const value = r.rule.head.value ?? trueTerm(r.rule.head.loc);
      this.planTerm(value, scope, (v) => this.assign(v, result));
    });
  }

  // ------------------------------------------------------------------ bodies

  private planBody(body: Body, scope: Scope, k: Cont, i = 0): void {
    if (i === body.length) return k();
    this.planExpr(body[i]!, scope, () => this.planBody(body, scope, k, i + 1));
  }

  private planExpr(e: Expr, scope: Scope, k: Cont): void {
    if (e.with.length > 0) return this.planWith(e, scope, k);
    if (e.negated) return this.planNot(e, scope, k);
    this.planPositive(e, scope, k);
  }

  private planPositive(e: Expr, scope: Scope, k: Cont): void {
    const b = e.body;
    switch (b.kind) {
      case "term":
        return this.planTermExpr(b.term, scope, k);
      case "assign":
        for (const v of patternVars(b.lhs)) scope.vars.delete(v.name);
        return this.unify(b.lhs, b.rhs, scope, k);
      case "unify":
        return this.unify(b.lhs, b.rhs, scope, k);
      case "some":
        for (const v of b.vars) scope.vars.delete(v.name);
        return k();
      case "somein":
        for (const t of b.key ? [b.key, b.value] : [b.value]) {
          for (const v of patternVars(t)) scope.vars.delete(v.name);
        }
        return this.planTerm(b.collection, scope, (coll) =>
          this.f.scan(coll, (key, value) => {
            const bindValue = (): void => this.destructure(b.value, value, scope, k);
            if (b.key !== undefined) this.destructure(b.key, key, scope, bindValue);
            else bindValue();
          }),
        );
      case "every":
        return this.planEvery(b.key, b.value, b.domain, b.body, scope, k);
    }
  }

  private planTermExpr(t: Term, scope: Scope, k: Cont): void {
    if (t.type === "call") {
      const op = t.operator.join(".");
      if (op === "print") return this.planPrint(t, scope, k);
      if ((op === "equal" || op === "neq") && t.args.length === 2) {
        return this.planTerm(t.args[0]!, scope, (a) =>
          this.planTerm(t.args[1]!, scope, (b) => {
            this.f.emit({ op: op === "equal" ? "equal" : "notequal", a, b });
            k();
          }),
        );
      }
    }
    this.planTerm(t, scope, (v) => {
      this.f.emit({ op: "truthy", source: v });
      k();
    });
  }

  /** `not e`: e planned in its own block; reaching its end sets a flag that fails us. */
  private planNot(e: Expr, scope: Scope, k: Cont): void {
    const found = this.f.local();
    this.f.emit({ op: "reset", target: found });
    this.f.block((label) => {
      const inner = copyScope(scope);
      this.planPositive(e, inner, () => {
        this.f.emit({ op: "const", index: this.constIndex(true), target: found });
        this.f.emit({ op: "break", label });
      });
    });
    this.f.emit({ op: "undefined", source: found });
    k();
  }

  /** `every k, v in xs { body }` ≡ no element of xs for which body fails. */
  private planEvery(
    key: VarTerm | undefined,
    value: VarTerm,
    domain: Term,
    body: Body,
    scope: Scope,
    k: Cont,
  ): void {
    // An undefined domain makes `every` undefined, and so does a domain that is not a
    // collection (OPA's semantics); only an empty collection holds vacuously.
    this.planTerm(domain, copyScope(scope), (coll) => {
      this.f.emit({ op: "iscollection", source: coll });
      const counterexample = this.f.local();
      this.f.emit({ op: "reset", target: counterexample });
      this.f.block((outer) =>
        this.f.scan(coll, (kl, vl) => {
          const inner = copyScope(scope);
          if (key !== undefined) inner.vars.set(key.name, kl);
          inner.vars.set(value.name, vl);
          const held = this.f.local();
          this.f.emit({ op: "reset", target: held });
          this.f.block((label) =>
            this.planBody(body, inner, () => {
              this.f.emit({ op: "const", index: this.constIndex(true), target: held });
              this.f.emit({ op: "break", label });
            }),
          );
          this.f.emit({ op: "undefined", source: held });
          this.f.emit({ op: "const", index: this.constIndex(true), target: counterexample });
          this.f.emit({ op: "break", label: outer });
        }),
      );
      this.f.emit({ op: "undefined", source: counterexample });
      k();
    });
  }

  private planPrint(t: CallTerm, scope: Scope, k: Cont): void {
    if (this.options.debug !== true) return k();
    const args = t.args.map((arg) => {
      const l = this.f.local();
      this.f.emit({ op: "reset", target: l });
      this.f.block(() => this.planTerm(arg, copyScope(scope), (v) => this.assign(v, l)));
      return l;
    });
    this.f.emit({ op: "print", args });
    k();
  }

  /** `e with input.x as v with data.y as w`: replaced documents for e only. */
  private planWith(e: Expr, scope: Scope, k: Cont): void {
    const mods = e.with;
    const overrides = [...scope.overrides];
    const apply = (i: number, input: Local, data: Local): void => {
      if (i === mods.length) {
        const inner: Scope = { ...scope, input, data, overrides };
        const body = { ...e, with: [] };
        return this.planExpr(body, inner, k);
      }
      const m = mods[i]!;
      const target = withTarget(m);
      if (target === undefined) {
        this.unsupported("`with` on a function or builtin", m.loc);
      }
      this.planTerm(m.value, scope, (v) => {
        if (target.root === "input") {
          apply(i + 1, this.upsert(input, target.path, v), data);
        } else {
          if (this.checkWithDataTarget(target.path, m)) overrides.push(target.path);
          apply(i + 1, input, this.upsert(data, target.path, v));
        }
      });
    };
    apply(0, scope.input, scope.data);
  }

  /**
   * True when `with data.<path>` replaces rules (a rule or a document of rules), which
   * then read the replacement; replacing part of one rule's value is not supported.
   */
  private checkWithDataTarget(path: string[], m: WithModifier): boolean {
    let node: TrieNode | undefined = this.trie;
    for (const seg of path) {
      if (node.group !== undefined) {
        this.unsupported("`with` replacing part of a rule's value", m.loc);
      }
      node = node.children.get(seg);
      if (node === undefined) return false;
    }
    if (node.group?.kind === "function") this.unsupported("`with` replacing a function", m.loc);
    return true;
  }

  /** A copy of `base` with `path` set to `value` (objects along the path are copied). */
  private upsert(base: Local, path: readonly string[], value: Local): Local {
    if (path.length === 0) return value;
    const copy = this.f.local();
    this.f.emit({ op: "makeobject", target: copy });
    const key = this.constLocal(path[0]!);
    this.f.block(() => {
      this.f.emit({ op: "istype", source: base, tag: TAG.object });
      this.f.scan(base, (k, v) => {
        this.f.emit({ op: "notequal", a: k, b: key });
        this.f.emit({ op: "objectset", object: copy, key: k, value: v });
      });
    });
    const child = this.f.local();
    this.f.emit({ op: "reset", target: child });
    this.f.block(() => this.f.emit({ op: "dot", source: base, key, target: child }));
    const replaced = this.upsert(child, path.slice(1), value);
    this.f.emit({ op: "objectset", object: copy, key, value: replaced });
    return copy;
  }

  // ------------------------------------------------------------------ unification

  private unify(a: Term, b: Term, scope: Scope, k: Cont): void {
    const aPattern = this.isPattern(a, scope);
    const bPattern = this.isPattern(b, scope);
    if (aPattern && bPattern) {
      if (a.type === "array" && b.type === "array") {
        if (a.items.length !== b.items.length) return this.fail();
        const step = (i: number): void =>
          i === a.items.length
            ? k()
            : this.unify(a.items[i]!, b.items[i]!, scope, () => step(i + 1));
        return step(0);
      }
      if (a.type === "object" && b.type === "object" && sameConstantKeys(a.entries, b.entries)) {
        const byKey = new Map(b.entries.map(([k, v]) => [valueKey(constantValue(k)), v]));
        const pairs = a.entries.map(
          ([k, v]) => [v, byKey.get(valueKey(constantValue(k)))!] as const,
        );
        const step = (i: number): void =>
          i === pairs.length
            ? k()
            : this.unify(pairs[i]![0], pairs[i]![1], scope, () => step(i + 1));
        return step(0);
      }
      this.unsupported("unification of two patterns with unbound variables", a.loc);
    }
    if (aPattern) return this.planTerm(b, scope, (v) => this.destructure(a, v, scope, k));
    if (bPattern) return this.planTerm(a, scope, (v) => this.destructure(b, v, scope, k));
    this.planTerm(a, scope, (x) =>
      this.planTerm(b, scope, (y) => {
        this.f.emit({ op: "equal", a: x, b: y });
        k();
      }),
    );
  }

  /** Binds the unbound vars of `pattern` against the value in `v`; fails on mismatch. */
  private destructure(pattern: Term, v: Local, scope: Scope, k: Cont): void {
    if (pattern.type === "var" && !ROOT_DOCUMENTS.has(pattern.name)) {
      const bound = scope.vars.get(pattern.name);
      if (bound === undefined) {
        if (!pattern.name.startsWith("$_")) scope.vars.set(pattern.name, v);
        return k();
      }
      this.f.emit({ op: "equal", a: bound, b: v });
      return k();
    }
    if (pattern.type === "array" && this.isPattern(pattern, scope)) {
      this.f.emit({ op: "istype", source: v, tag: TAG.array });
      this.f.emit({ op: "lenequal", source: v, length: pattern.items.length });
      const step = (i: number): void => {
        if (i === pattern.items.length) return k();
        const elem = this.f.local();
        this.f.emit({ op: "dot", source: v, key: this.constLocal(i), target: elem });
        this.destructure(pattern.items[i]!, elem, scope, () => step(i + 1));
      };
      return step(0);
    }
    if (pattern.type === "object" && this.isPattern(pattern, scope)) {
      this.f.emit({ op: "istype", source: v, tag: TAG.object });
      this.f.emit({ op: "lenequal", source: v, length: pattern.entries.length });
      const step = (i: number): void => {
        if (i === pattern.entries.length) return k();
        const [keyTerm, valueTerm] = pattern.entries[i]!;
        if (this.isPattern(keyTerm, scope))
          this.unsupported("an object pattern with a variable key", keyTerm.loc);
        this.planTerm(keyTerm, scope, (key) => {
          const elem = this.f.local();
          this.f.emit({ op: "dot", source: v, key, target: elem });
          this.destructure(valueTerm, elem, scope, () => step(i + 1));
        });
      };
      return step(0);
    }
    this.planTerm(pattern, scope, (x) => {
      this.f.emit({ op: "equal", a: x, b: v });
      k();
    });
  }

  /** An unbound var, or an array/object literal containing one outside refs and calls. */
  private isPattern(t: Term, scope: Scope): boolean {
    switch (t.type) {
      case "var":
        return !ROOT_DOCUMENTS.has(t.name) && !scope.vars.has(t.name);
      case "array":
        return t.items.some((x) => this.isPattern(x, scope));
      case "object":
        return t.entries.some(([, x]) => this.isPattern(x, scope));
      default:
        return false;
    }
  }

  private fail(): void {
    const l = this.f.local();
    this.f.emit({ op: "reset", target: l });
    this.f.emit({ op: "defined", source: l });
  }

  // ------------------------------------------------------------------ terms

  private planTerms(terms: readonly Term[], scope: Scope, k: (ls: Local[]) => void): void {
    const out: Local[] = [];
    const step = (i: number): void => {
      if (i === terms.length) return k(out);
      this.planTerm(terms[i]!, scope, (v) => {
        out[i] = v;
        step(i + 1);
      });
    };
    step(0);
  }

  /** Emits what computes `t` and continues with the local holding its (defined) value. */
  private planTerm(t: Term, scope: Scope, k: ValueCont): void {
    if (isConstant(t)) return k(this.constLocal(constantValue(t)));
    switch (t.type) {
      case "var":
        return this.planVar(t, scope, k);
      case "ref":
        return this.planRef(t, scope, k);
      case "array":
        return this.planTerms(t.items, scope, (items) => {
          const arr = this.f.local();
          this.f.emit({ op: "makearray", target: arr });
          for (const item of items) this.f.emit({ op: "arraypush", array: arr, value: item });
          k(arr);
        });
      case "set":
        return this.planTerms(t.items, scope, (items) => {
          const set = this.f.local();
          this.f.emit({ op: "makeset", target: set });
          for (const item of items) this.f.emit({ op: "setadd", set, value: item });
          k(set);
        });
      case "object":
        return this.planTerms(t.entries.flat(), scope, (flat) => {
          const obj = this.f.local();
          this.f.emit({ op: "makeobject", target: obj });
          for (let i = 0; i < flat.length; i += 2) {
            this.f.emit({ op: "objectset", object: obj, key: flat[i]!, value: flat[i + 1]! });
          }
          k(obj);
        });
      case "arraycompr":
      case "setcompr":
      case "objectcompr":
        return this.planComprehension(t, scope, k);
      case "call":
        return this.planCall(t, scope, k);
      default:
        return this.unsupported(`term ${t.type}`, t.loc);
    }
  }

  private planVar(t: VarTerm, scope: Scope, k: ValueCont): void {
    if (t.name === "input") {
      this.f.emit({ op: "defined", source: scope.input });
      return k(scope.input);
    }
    if (t.name === "data") return this.planDataRef([], scope, k);
    const bound = scope.vars.get(t.name);
    if (bound === undefined) {
      throw new DiagnosticError([
        diagnostic("rego_unsafe_var_error", `var ${displayVar(t.name)} is unsafe`, t.loc),
      ]);
    }
    k(bound);
  }

  private planComprehension(
    t: Term & { type: "arraycompr" | "setcompr" | "objectcompr" },
    scope: Scope,
    k: ValueCont,
  ): void {
    const coll = this.f.local();
    const make =
      t.type === "arraycompr" ? "makearray" : t.type === "setcompr" ? "makeset" : "makeobject";
    this.f.emit({ op: make, target: coll });
    const inner = copyScope(scope);
    this.f.block(() =>
      this.planBody(t.body, inner, () => {
        if (t.type === "objectcompr") {
          this.planTerm(t.key, inner, (key) =>
            this.planTerm(t.value, inner, (value) =>
              this.f.emit({
                op: "objectinsert",
                object: coll,
                key,
                value,
                conflict: {
                  code: "eval_conflict_error",
                  message: CONFLICT_OBJECT,
                  loc: sourceLoc(t.loc),
                },
              }),
            ),
          );
        } else {
          this.planTerm(t.term, inner, (v) =>
            this.f.emit(
              t.type === "arraycompr"
                ? { op: "arraypush", array: coll, value: v }
                : { op: "setadd", set: coll, value: v },
            ),
          );
        }
      }),
    );
    k(coll);
  }

  private planRef(t: RefTerm, scope: Scope, k: ValueCont): void {
    const head = t.head;
    if (head.type === "var" && head.name === "data") return this.planDataRef(t.path, scope, k);
    if (head.type === "var" && head.name === "input") {
      const prefix = staticPrefix(t.path);
      if (scope.input === INPUT && prefix.length > 0) {
        const hoisted = this.hoistedInputPath(prefix);
        this.f.emit({ op: "defined", source: hoisted });
        return this.walkPath(hoisted, t.path, prefix.length, scope, k);
      }
      this.f.emit({ op: "defined", source: scope.input });
      return this.walkPath(scope.input, t.path, 0, scope, k);
    }
    this.planTerm(head, scope, (base) => this.walkPath(base, t.path, 0, scope, k));
  }

  /** A local holding `input.<path>` of the scope; fails (exits the block) when absent. */
  private inputPath(path: readonly string[], scope: Scope): Local {
    if (scope.input === INPUT) {
      const hoisted = this.hoistedInputPath(path);
      this.f.emit({ op: "defined", source: hoisted });
      return hoisted;
    }
    return this.pathLookup(scope.input, path);
  }

  /**
   * The local holding `input.<path>` (0 when absent), looked up once at the function's
   * start: bodies of one group test the same input fields again and again, and a function's
   * own input never changes (`with input` plans its expression with another local).
   */
  private hoistedInputPath(path: readonly string[]): Local {
    const id = path.join("\u0000");
    const known = this.f.inputPaths.get(id);
    if (known !== undefined) return known;
    const parent = path.length === 1 ? INPUT : this.hoistedInputPath(path.slice(0, -1));
    const target = this.f.local();
    this.f.into(this.f.prologue, () => {
      const key = this.constLocal(path[path.length - 1]!);
      this.f.block(() => this.f.emit({ op: "dot", source: parent, key, target }));
    });
    this.f.inputPaths.set(id, target);
    return target;
  }

  /** Follows ref segments from `base`; unbound vars iterate (binding the var to the key). */
  private walkPath(
    base: Local,
    path: readonly Term[],
    i: number,
    scope: Scope,
    k: ValueCont,
  ): void {
    if (i === path.length) return k(base);
    const seg = path[i]!;
    if (this.isPattern(seg, scope)) {
      return this.f.scan(base, (key, value) =>
        this.destructure(seg, key, scope, () => this.walkPath(value, path, i + 1, scope, k)),
      );
    }
    this.planTerm(seg, scope, (key) => {
      const next = this.f.local();
      this.f.emit({ op: "dot", source: base, key, target: next });
      this.walkPath(next, path, i + 1, scope, k);
    });
  }

  /** `data.<path>`: rules are called, prefixes of rules build their virtual document. */
  private planDataRef(path: readonly Term[], scope: Scope, k: ValueCont): void {
    const constPrefix: string[] = [];
    for (const seg of path) {
      if (seg.type !== "string") break;
      constPrefix.push(seg.value);
    }
    if (scope.overrides.some((o) => isPrefix(o, constPrefix))) {
      this.f.emit({ op: "defined", source: scope.data });
      return this.walkPath(scope.data, path, 0, scope, k);
    }
    let node = this.trie;
    const prefix: string[] = [];
    for (let i = 0; i <= path.length; i++) {
      if (node.group !== undefined) {
        if (node.group.kind === "function") {
          this.unsupported(
            "a reference to a function without calling it",
            path[i - 1]?.loc ?? SYNTHETIC,
          );
        }
        const v = this.callGroup(node.group, [], scope);
        return this.walkPath(v, path, i, scope, k);
      }
      if (node.children.size === 0 && i > 0) break;
      if (i === path.length) break;
      const seg = path[i]!;
      if (seg.type !== "string") {
        if (node.children.size === 0) break;
        const doc = this.callVirtualDoc(node, prefix, scope);
        return this.walkPath(doc, path, i, scope, k);
      }
      const child = node.children.get(seg.value);
      if (child === undefined) {
        const base = this.pathLookup(scope.data, prefix);
        return this.walkPath(base, path, i, scope, k);
      }
      node = child;
      prefix.push(seg.value);
    }
    if (node.children.size > 0) return k(this.callVirtualDoc(node, prefix, scope));
    const base = this.pathLookup(scope.data, prefix);
    this.walkPath(base, path, prefix.length, scope, k);
  }

  private callGroup(group: RuleGroup, args: Local[], scope: Scope, loc?: Location): Local {
    const target = this.f.local();
    this.f.emit({
      op: "call",
      func: this.groupFunc(group, scope.overrides),
      args: [scope.input, scope.data, ...args],
      target,
      loc: loc ? sourceLoc(loc) : SYNTHETIC_LOC,
    });
    return target;
  }

  private callVirtualDoc(node: TrieNode, path: string[], scope: Scope): Local {
    const target = this.f.local();
    this.f.emit({
      op: "call",
      func: this.virtualDocFunc(node, [...path], scope.overrides),
      args: [scope.input, scope.data],
      target,
      loc: SYNTHETIC_LOC,
    });
    return target;
  }

  private planCall(t: CallTerm, scope: Scope, k: ValueCont): void {
    const name = t.operator.join(".");
    if (t.operator[0] === "data") {
      const group = this.program.groups.get(t.operator.slice(1).join("."));
      if (group === undefined || group.kind !== "function") {
        this.unsupported(`call of ${name}, which is not a function`, t.loc);
      }
      const arity = group.arity ?? t.args.length;
      return this.planCallArgs(t, arity, scope, k, (args) =>
        this.callGroup(group, args, scope, t.loc),
      );
    }
    if (name === "print") {
      return this.planPrint(t, scope, () => k(this.constLocal(true)));
    }
    const arity = this.options.builtinArity?.(name) ?? t.args.length;
    this.planCallArgs(t, arity, scope, k, (args) => {
      this.builtins.add(name);
      const target = this.f.local();
      this.f.emit({ op: "builtin", name, args, target, loc: sourceLoc(t.loc) });
      return target;
    });
  }

  /** Plans arguments, the call, and (for `f(x, out)` forms) unifies the output argument. */
  private planCallArgs(
    t: CallTerm,
    arity: number,
    scope: Scope,
    k: ValueCont,
    call: (args: Local[]) => Local,
  ): void {
    const name = t.operator.join(".");
    if (t.args.length !== arity && t.args.length !== arity + 1) {
      throw new DiagnosticError([
        diagnostic(
          "rego_type_error",
          `${name}: arity mismatch: expected ${arity} arguments, got ${t.args.length}`,
          t.loc,
        ),
      ]);
    }
    this.planTerms(t.args.slice(0, arity), scope, (args) => {
      const result = call(args);
      const relation = this.options.relationBuiltins?.has(name) === true;
      const deliver = (v: Local): void => {
        if (t.args.length === arity) return k(v);
        this.destructure(t.args[arity]!, v, scope, () => k(this.constLocal(true)));
      };
      if (relation) this.f.scan(result, (_key, v) => deliver(v));
      else deliver(result);
    });
  }

  // ------------------------------------------------------------------ helpers

  private assign(source: Local, target: Local): void {
    this.f.emit({ op: "assign", source, target });
  }

  private constIndex(v: Value): number {
    const key = valueKey(v);
    let i = this.constantIndex.get(key);
    if (i === undefined) {
      i = this.constants.length;
      this.constants.push(v);
      this.constantIndex.set(key, i);
    }
    return i;
  }

  private constLocal(v: Value): Local {
    const target = this.f.local();
    this.f.emit({ op: "const", index: this.constIndex(v), target });
    return target;
  }

  private unsupported(what: string, loc: Location): never {
    throw new DiagnosticError([
      diagnostic("rego_compile_error", `not supported by the Wasm compiler: ${what}`, loc),
    ]);
  }
}

// ---------------------------------------------------------------------------- pure helpers

/** The leading string segments of a ref path (`input.a.b[x].c` → `["a", "b"]`). */
function staticPrefix(path: readonly Term[]): string[] {
  const out: string[] = [];
  for (const seg of path) {
    if (seg.type !== "string") break;
    out.push(seg.value);
  }
  return out;
}

const SYNTHETIC: Location = { file: "<entrypoint>", line: 1, col: 1, offset: 0, end: 0 };
const SYNTHETIC_LOC = sourceLoc(SYNTHETIC);

/** `a/b/p`, `a.b.p` or `data.a.b.p` → `["a", "b", "p"]`. */
export function entrypointPath(name: string): string[] {
  const parts = name.includes("/") ? name.split("/") : name.split(".");
  const path = parts.filter((p) => p.length > 0);
  return path[0] === "data" && !name.includes("/") ? path.slice(1) : path;
}

function hasKeyTerms(group: RuleGroup): boolean {
  return group.rules.some((r) => r.keyTerms.length > 0);
}

function displayVar(name: string): string {
  return name.startsWith("$_") ? "_" : name;
}

function copyScope(scope: Scope): Scope {
  return { ...scope, vars: new Map(scope.vars) };
}

/** Both objects have the same constant keys (so they unify value by value). */
function sameConstantKeys(a: readonly [Term, Term][], b: readonly [Term, Term][]): boolean {
  if (a.length !== b.length) return false;
  if (![...a, ...b].every(([k]) => isConstant(k))) return false;
  const keys = new Set(a.map(([k]) => valueKey(constantValue(k))));
  return b.every(([k]) => keys.has(valueKey(constantValue(k))));
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((x, i) => x === path[i]);
}

function overrideSuffix(overrides: readonly string[][]): string {
  if (overrides.length === 0) return "";
  return (
    "@with(" +
    overrides
      .map((o) => o.join("."))
      .sort()
      .join(",") +
    ")"
  );
}

function trueTerm(loc: Location): Term {
  return { type: "boolean", value: true, loc };
}

function withTarget(m: WithModifier): { root: "input" | "data"; path: string[] } | undefined {
  const t = m.target;
  if (t.type === "var" && ROOT_DOCUMENTS.has(t.name))
    return { root: t.name as "input" | "data", path: [] };
  if (t.type !== "ref" || t.head.type !== "var" || !ROOT_DOCUMENTS.has(t.head.name))
    return undefined;
  const path: string[] = [];
  for (const seg of t.path) {
    if (seg.type !== "string") return undefined;
    path.push(seg.value);
  }
  return { root: t.head.name as "input" | "data", path };
}
