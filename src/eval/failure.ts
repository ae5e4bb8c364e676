// Why an expression failed, for traces and explanations: the shortest undefined prefix of
// a ref (`undefined ref data.tenants.t9`), or the value a condition evaluated to together
// with the values of its non-constant operands.
import type { Expr, RefTerm, Term } from "../rego/ast.js";
import type { Value } from "../value/value.js";
import { sourceText, termText, valueText } from "./text.js";
import { isConstant } from "../rego/constants.js";

/** Describes why an expression failed, from the values of its operands. */
export class FailureExplainer {
  constructor(
    private readonly sources: ReadonlyMap<string, string> | undefined,
    private readonly valueOf: (t: Term) => Value | undefined,
    private readonly firstPrefix: (ref: RefTerm) => { start: number; rule: boolean },
  ) {}

  explain(expr: Expr): string {
    const b = expr.body;
    if (expr.negated) return "the negated expression is true";
    switch (b.kind) {
      case "term":
        return this.explainTerm(b.term);
      case "assign":
      case "unify":
        return this.undefinedIn(b.rhs) ?? this.undefinedIn(b.lhs) ?? this.mismatch([b.lhs, b.rhs]);
      case "somein":
        return this.undefinedIn(b.collection) ?? `no element of ${this.text(b.collection)} matches`;
      case "every":
        return (
          this.undefinedIn(b.domain) ??
          `the body does not hold for every element of ${this.text(b.domain)}`
        );
      case "some":
        return "no solution";
    }
  }

  private explainTerm(t: Term): string {
    if (t.type === "call") {
      for (const a of t.args) {
        const u = this.undefinedIn(a);
        if (u !== undefined) return u;
      }
      const v = this.valueOf(t);
      if (v === undefined) return `${this.text(t)} is undefined`;
      return `evaluated to ${valueText(v)}` + this.operands(t.args);
    }
    const u = this.undefinedIn(t);
    if (u !== undefined) return u;
    return `evaluated to ${valueText(this.valueOf(t))}`;
  }

  private operands(args: Term[]): string {
    const shown = args.filter((a) => !isConstant(a));
    if (shown.length === 0) return "";
    return (
      " (" + shown.map((a) => `${this.text(a)} = ${valueText(this.valueOf(a))}`).join(", ") + ")"
    );
  }

  private mismatch(terms: Term[]): string {
    return "operands do not match" + this.operands(terms);
  }

  /** `undefined ref data.tenants.t9` for the shortest undefined prefix of a ref in `t`. */
  private undefinedIn(t: Term): string | undefined {
    if (t.type === "call") {
      for (const a of t.args) {
        const u = this.undefinedIn(a);
        if (u !== undefined) return u;
      }
      return this.valueOf(t) === undefined ? `${this.text(t)} is undefined` : undefined;
    }
    if (t.type !== "ref")
      return this.valueOf(t) === undefined && t.type === "var"
        ? `${this.text(t)} is undefined`
        : undefined;
    if (this.valueOf(t) !== undefined) return undefined;
    const { start, rule } = this.firstPrefix(t);
    for (let n = start; n <= t.path.length; n++) {
      const prefix: RefTerm = { ...t, path: t.path.slice(0, n) };
      if (this.valueOf(prefix) !== undefined) continue;
      return n === start && rule
        ? `rule ${this.groundText(prefix)} is undefined`
        : `undefined ref ${this.groundText(prefix)}`;
    }
    return `undefined ref ${this.groundText(t)}`;
  }

  /** A ref's text with its variable segments replaced by their values. */
  private groundText(ref: RefTerm): string {
    let s = termText(ref.head);
    for (const seg of ref.path) {
      if (seg.type === "string") {
        s += /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg.value)
          ? "." + seg.value
          : `[${JSON.stringify(seg.value)}]`;
        continue;
      }
      const v = this.valueOf(seg);
      if (typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) s += "." + v;
      else s += "[" + (v === undefined ? termText(seg) : valueText(v)) + "]";
    }
    return s;
  }

  private text(t: Term): string {
    return sourceText(this.sources, t.loc) ?? termText(t);
  }
}
