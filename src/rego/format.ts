// The canonical Rego layout (in the spirit of `opa fmt`): tabs, `:=` in rule heads, `if`
// before every body, one expression per line, imports sorted, one blank line between rules,
// comments kept where they were. Layout depends only on the AST (plus which items of a
// composite literal started on their own line), so formatting is idempotent, and it
// prints exactly what parses back to the same AST.
import type { Body, CallTerm, Comment, Expr, Import, Module, Rule, Term } from "./ast.js";
import { parseModule } from "./parser.js";
import { LineMap } from "./lexer.js";
import type { Location } from "./ast.js";

/** Formats the source text of one module (throws DiagnosticError if it does not parse). */
export function formatSource(text: string, file: string): string {
  return formatModule(parseModule(text, file), text);
}

/**
 * Prints a module in the canonical layout. With the module's `source` text, comments at
 * the end of multi-line constructs stay on their line and single blank lines inside bodies
 * are kept; without it, node start lines approximate where constructs end.
 */
export function formatModule(module: Module, source?: string): string {
  const lines = source === undefined ? undefined : new LineMap(source);
  return new Printer(module.comments, lines).module(module);
}

// Context precedences: a term printed where `minPrec` is required gets parentheses when
// its own operator binds more loosely.
const TOP = 0;
const IN = 1;
const COMPARE = 2;
const OR = 3;
const POSTFIX = 7;

const INFIX: Readonly<Record<string, { symbol: string; prec: number }>> = {
  "internal.member_2": { symbol: "in", prec: IN },
  equal: { symbol: "==", prec: COMPARE },
  neq: { symbol: "!=", prec: COMPARE },
  lt: { symbol: "<", prec: COMPARE },
  lte: { symbol: "<=", prec: COMPARE },
  gt: { symbol: ">", prec: COMPARE },
  gte: { symbol: ">=", prec: COMPARE },
  or: { symbol: "|", prec: OR },
  and: { symbol: "&", prec: 4 },
  plus: { symbol: "+", prec: 5 },
  minus: { symbol: "-", prec: 5 },
  mul: { symbol: "*", prec: 6 },
  div: { symbol: "/", prec: 6 },
  rem: { symbol: "%", prec: 6 },
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function infixOf(t: Term): { symbol: string; prec: number } | undefined {
  if (t.type !== "call" || t.infix !== true) return undefined;
  const name = t.operator.join(".");
  if (name === "internal.member_3" && t.args.length === 3) return { symbol: "in", prec: TOP };
  return t.args.length === 2 ? INFIX[name] : undefined;
}

/** The greatest start line of any node inside `t`: where its text (mostly) ends. */
function lastLine(t: Term): number {
  let max = t.loc.line;
  const visit = (x: Term): void => {
    if (x.loc.line > max) max = x.loc.line;
    forEachChild(x, visit);
  };
  forEachChild(t, visit);
  return max;
}

function forEachChild(t: Term, f: (x: Term) => void): void {
  switch (t.type) {
    case "ref":
      f(t.head);
      t.path.forEach(f);
      return;
    case "array":
    case "set":
      t.items.forEach(f);
      return;
    case "object":
      for (const [k, v] of t.entries) {
        f(k);
        f(v);
      }
      return;
    case "call":
      t.args.forEach(f);
      return;
    case "arraycompr":
    case "setcompr":
      f(t.term);
      bodyTerms(t.body, f);
      return;
    case "objectcompr":
      f(t.key);
      f(t.value);
      bodyTerms(t.body, f);
      return;
    default:
      return;
  }
}

function bodyTerms(body: Body, f: (x: Term) => void): void {
  for (const e of body) exprTerms(e, f);
}

function exprTerms(e: Expr, f: (x: Term) => void): void {
  const b = e.body;
  switch (b.kind) {
    case "term":
      f(b.term);
      break;
    case "assign":
    case "unify":
      f(b.lhs);
      f(b.rhs);
      break;
    case "some":
      b.vars.forEach(f);
      break;
    case "somein":
      if (b.key !== undefined) f(b.key);
      f(b.value);
      f(b.collection);
      break;
    case "every":
      if (b.key !== undefined) f(b.key);
      f(b.value);
      f(b.domain);
      bodyTerms(b.body, f);
      break;
  }
  for (const w of e.with) {
    f(w.target);
    f(w.value);
  }
}

function exprLastLine(e: Expr): number {
  let max = e.loc.line;
  exprTerms(e, (t) => {
    max = Math.max(max, lastLine(t));
  });
  return max;
}

function ruleLastLine(r: Rule): number {
  let max = r.loc.line;
  const terms: Term[] = [...r.head.ref, ...(r.head.args ?? [])];
  if (r.head.key !== undefined) terms.push(r.head.key);
  if (r.head.value !== undefined) terms.push(r.head.value);
  for (const t of terms) max = Math.max(max, lastLine(t));
  return max;
}

function importKey(i: Import): string {
  return `${termKeyForSort(i.path)} ${i.alias ?? ""}`;
}

function termKeyForSort(t: Term): string {
  if (t.type === "var") return t.name;
  if (t.type === "ref") {
    return [
      termKeyForSort(t.head),
      ...t.path.map((p) => (p.type === "string" ? p.value : "")),
    ].join(".");
  }
  return "";
}

class Printer {
  private readonly comments: Comment[];
  private next = 0;
  private readonly annotationStarts = new Set<number>();

  constructor(
    comments: readonly Comment[],
    private readonly lines: LineMap | undefined,
  ) {
    this.comments = [...comments].sort((a, b) => a.loc.offset - b.loc.offset);
  }

  /** The source line a node ends on; `approx` (greatest inner start line) without source. */
  private endLine(loc: Location, approx: () => number): number {
    if (this.lines === undefined) return approx();
    return this.lines.position(Math.max(loc.offset, loc.end - 1)).line;
  }

  private termEnd(t: Term): number {
    return this.endLine(t.loc, () => lastLine(t));
  }

  private exprEnd(e: Expr): number {
    return this.endLine(e.loc, () => exprLastLine(e));
  }

  module(m: Module): string {
    const out: string[] = [];
    for (const a of [...m.annotations, ...m.rules.flatMap((r) => r.annotations)]) {
      this.annotationStarts.add(a.loc.offset);
    }
    out.push(...this.leading(m.package.loc.offset, m.package.loc.line, "", undefined, out));
    out.push(this.trailing(`package ${this.pathText(m.package.path)}`, m.package.loc.line));
    const imports = [...m.imports].sort((a, b) => {
      const ka = importKey(a);
      const kb = importKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    if (imports.length > 0) out.push("");
    for (const imp of imports) {
      out.push(...this.leading(imp.loc.offset, imp.loc.line, "", undefined, out));
      let line = `import ${this.term(imp.path, POSTFIX, "")}`;
      if (imp.alias !== undefined) line += ` as ${imp.alias}`;
      out.push(this.trailing(line, imp.loc.line));
    }
    for (const rule of m.rules) {
      out.push("");
      out.push(...this.leading(rule.loc.offset, rule.loc.line, "", undefined, out));
      out.push(this.rule(rule));
    }
    const rest = this.leading(
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      "",
      undefined,
      out,
    );
    if (rest.length > 0) out.push("", ...rest);
    return out.join("\n") + "\n";
  }

  // ---------------------------------------------------------------- comments

  /**
   * Comment lines before `offset`, keeping one blank line wherever the source had one or
   * more between comments or between the last comment and the node (on `nodeLine`).
   */
  private leading(
    offset: number,
    nodeLine: number,
    indent: string,
    after?: number,
    before?: string[],
  ): string[] {
    const lines: string[] = [];
    // `after`: the line the previous statement ended on, when blank lines are kept.
    let prevLine: number | undefined = after;
    while (this.next < this.comments.length) {
      const c = this.comments[this.next] as Comment;
      if (c.loc.offset >= offset) break;
      // A `# METADATA` line that annotated nothing where it was (inside a rule, or after
      // code on its line) must not become an annotation where it lands: keep it at the
      // end of the previous line.
      if (
        before !== undefined &&
        this.isStrayMarker(c) &&
        this.appendToLastLine(c, lines, before)
      ) {
        prevLine = c.loc.line;
        this.next++;
        continue;
      }
      if (prevLine !== undefined && c.loc.line > prevLine + 1) lines.push("");
      lines.push(indent + this.commentText(c));
      prevLine = c.loc.line;
      this.next++;
    }
    if (
      prevLine !== undefined &&
      nodeLine !== Number.POSITIVE_INFINITY &&
      nodeLine > prevLine + 1
    ) {
      lines.push("");
    }
    return lines;
  }

  /** Appends the comment that sat at the end of the node's last line, if any. */
  private trailing(text: string, line: number): string {
    const c = this.comments[this.next];
    if (c === undefined || c.loc.line !== line) return text;
    this.next++;
    return `${text} ${this.commentText(c)}`;
  }

  private commentText(c: Comment): string {
    return `#${c.text}`;
  }

  /** Appends the comment to the last non-blank line of `lines`, else of `before`. */
  private appendToLastLine(c: Comment, lines: string[], before: string[]): boolean {
    for (const host of [lines, before]) {
      for (let i = host.length - 1; i >= 0; i--) {
        const line = host[i] as string;
        if (line.trimStart().startsWith("#")) return false;
        if (line !== "") {
          host[i] += ` ${this.commentText(c)}`;
          return true;
        }
      }
    }
    return false;
  }

  private isStrayMarker(c: Comment): boolean {
    return c.text.trim() === "METADATA" && !this.annotationStarts.has(c.loc.offset);
  }

  // ---------------------------------------------------------------- rules

  private rule(r: Rule): string {
    const h = r.head;
    let text = r.default ? "default " : "";
    text += this.refText(h.ref, "");
    if (h.args !== undefined) text += `(${h.args.map((a) => this.term(a, IN, "")).join(", ")})`;
    if (h.kind === "set" && h.key !== undefined) text += ` contains ${this.term(h.key, OR, "")}`;
    else if (h.value !== undefined) text += ` := ${this.term(h.value, TOP, "")}`;
    // The line the text printed so far ends on, for a trailing comment; none after a `}`.
    let openLine: number | undefined = this.endLine(r.head.loc, () => ruleLastLine(r));
    if (r.body.length > 0) {
      const mainEnd = r.else[0]?.loc.offset ?? r.loc.end;
      const [bodyText, line] = this.clauseBody(r.body, mainEnd, r.loc.line);
      text += ` if ${bodyText}`;
      openLine = line;
    }
    for (const c of r.else) {
      text += " else";
      let clauseLine = c.loc.line;
      if (c.value !== undefined) {
        text += ` := ${this.term(c.value, TOP, "")}`;
        clauseLine = Math.max(clauseLine, this.termEnd(c.value));
      }
      openLine = clauseLine;
      if (c.body.length > 0) {
        const [bodyText, line] = this.clauseBody(c.body, c.loc.end, c.loc.line);
        text += ` if ${bodyText}`;
        openLine = line;
      }
    }
    // After a closing `}`, a comment on the rule's last source line stays on it.
    const lastLine =
      openLine ?? (this.lines === undefined ? undefined : this.endLine(r.loc, () => 0));
    return lastLine === undefined ? text : this.trailing(text, lastLine);
  }

  /**
   * A rule or else body: `if expr` when the source had its single expression on the line
   * where the rule (or `else`) starts, else a block. Returns the text and, for the inline
   * form, the line it ends on.
   */
  private clauseBody(body: Body, end: number, startLine: number): [string, number | undefined] {
    const only = body[0];
    if (
      body.length === 1 &&
      only !== undefined &&
      only.loc.line === startLine &&
      only.body.kind !== "every"
    ) {
      const cursor = this.next;
      const text = this.expr(only, "");
      // `if {` always opens a block, so an expression starting with `{` needs one.
      if (!text.startsWith("{")) return [text, this.exprEnd(only)];
      // Printing moved past comments inside the expression; the block prints them again.
      this.next = cursor;
    }
    return [this.block(body, "", end), undefined];
  }

  /** `{`, the body one expression per line, comments up to `end`, `}`. */
  private block(body: Body, indent: string, end: number): string {
    const inner = indent + "\t";
    const lines = ["{"];
    let prev: number | undefined;
    for (const e of body) {
      lines.push(...this.statement(e, inner, prev));
      if (this.lines !== undefined) prev = this.exprEnd(e);
    }
    lines.push(...this.leading(end, Number.POSITIVE_INFINITY, inner, prev));
    lines.push(indent + "}");
    return lines.join("\n");
  }

  private statement(e: Expr, indent: string, after?: number): string[] {
    const lines = this.leading(e.loc.offset, e.loc.line, indent, after);
    lines.push(this.trailing(indent + this.expr(e, indent), this.exprEnd(e)));
    return lines;
  }

  // ---------------------------------------------------------------- expressions

  private expr(e: Expr, indent: string): string {
    let text = e.negated ? "not " : "";
    const b = e.body;
    switch (b.kind) {
      case "term":
        text += this.term(b.term, TOP, indent);
        break;
      case "assign":
      case "unify":
        text += `${this.term(b.lhs, TOP, indent)} ${b.kind === "assign" ? ":=" : "="} ${this.term(b.rhs, TOP, indent)}`;
        break;
      case "some":
        text += `some ${b.vars.map((v) => this.term(v, POSTFIX, indent)).join(", ")}`;
        break;
      case "somein": {
        const vars = b.key === undefined ? [b.value] : [b.key, b.value];
        text += `some ${vars.map((v) => this.term(v, COMPARE, indent)).join(", ")} in ${this.term(b.collection, COMPARE, indent)}`;
        break;
      }
      case "every": {
        const vars = b.key === undefined ? [b.value] : [b.key, b.value];
        // Comments up to the first `with` belong inside the block (or just after it).
        const end = e.with[0]?.loc.offset ?? e.loc.end;
        text += `every ${vars.map((v) => this.term(v, POSTFIX, indent)).join(", ")} in ${this.term(b.domain, COMPARE, indent)} ${this.block(b.body, indent, end)}`;
        break;
      }
    }
    for (const w of e.with) {
      text += ` with ${this.term(w.target, POSTFIX, indent)} as ${this.term(w.value, IN, indent)}`;
    }
    return text;
  }

  // ---------------------------------------------------------------- terms

  private term(t: Term, minPrec: number, indent: string): string {
    switch (t.type) {
      case "null":
        return "null";
      case "boolean":
        return t.value ? "true" : "false";
      case "number":
        return t.raw;
      case "string":
        return t.raw === true ? `\`${t.value}\`` : JSON.stringify(t.value);
      case "var":
        return t.name.startsWith("$_") ? "_" : t.name;
      case "ref":
        return (
          this.term(t.head, POSTFIX, indent) + t.path.map((p) => this.segment(p, indent)).join("")
        );
      case "call":
        return this.call(t, minPrec, indent);
      case "array":
        return this.items("[", "]", t.items, t.loc.line, indent);
      case "set":
        return t.items.length === 0 ? "set()" : this.items("{", "}", t.items, t.loc.line, indent);
      case "object":
        return this.object(t.entries, t.loc.line, indent);
      case "arraycompr":
        return this.comprehension(
          "[",
          "]",
          this.term(t.term, POSTFIX, indent),
          t.body,
          t.loc,
          indent,
        );
      case "setcompr":
        return this.comprehension(
          "{",
          "}",
          this.term(t.term, POSTFIX, indent),
          t.body,
          t.loc,
          indent,
        );
      case "objectcompr": {
        const head = `${this.firstItem(t.key, indent)}: ${this.term(t.value, POSTFIX, indent)}`;
        return this.comprehension("{", "}", head, t.body, t.loc, indent);
      }
    }
  }

  private call(t: CallTerm, minPrec: number, indent: string): string {
    const op = infixOf(t);
    if (op === undefined) {
      return `${t.operator.join(".")}(${t.args.map((a) => this.term(a, IN, indent)).join(", ")})`;
    }
    let text: string;
    if (op.prec === TOP) {
      const [k, v, xs] = t.args as [Term, Term, Term];
      text = `${this.term(k, COMPARE, indent)}, ${this.term(v, COMPARE, indent)} in ${this.term(xs, COMPARE, indent)}`;
    } else {
      const [a, b] = t.args as [Term, Term];
      text = `${this.term(a, op.prec, indent)} ${op.symbol} ${this.term(b, op.prec + 1, indent)}`;
    }
    // member_3 is only valid bare where a comma cannot separate items.
    const needsParens = op.prec === TOP ? minPrec > TOP : op.prec < minPrec;
    return needsParens ? `(${text})` : text;
  }

  private segment(p: Term, indent: string): string {
    if (p.type === "string" && p.raw !== true && IDENT.test(p.value)) return `.${p.value}`;
    return `[${this.term(p, IN, indent)}]`;
  }

  private refText(ref: readonly Term[], indent: string): string {
    const [head, ...rest] = ref;
    if (head === undefined) return "";
    return this.term(head, POSTFIX, indent) + rest.map((p) => this.segment(p, indent)).join("");
  }

  private pathText(path: readonly string[]): string {
    return path
      .map((s, i) => (IDENT.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
      .join("");
  }

  /**
   * The first item of a brace or bracket literal: `[a | b]` would read as a comprehension,
   * so an operator expression containing `|` is parenthesized there.
   */
  private firstItem(t: Term, indent: string): string {
    const text = this.term(t, IN, indent);
    return infixOf(t) !== undefined && text.includes("|") ? `(${text})` : text;
  }

  private items(open: string, close: string, items: Term[], line: number, indent: string): string {
    const texts = (inner: string): string[] =>
      items.map((item, i) => (i === 0 ? this.firstItem(item, inner) : this.term(item, IN, inner)));
    if (!items.some((i) => i.loc.line !== line))
      return `${open}${texts(indent).join(", ")}${close}`;
    const inner = indent + "\t";
    const lines = [open];
    items.forEach((item, i) => {
      lines.push(...this.leading(item.loc.offset, item.loc.line, inner));
      const text = i === 0 ? this.firstItem(item, inner) : this.term(item, IN, inner);
      lines.push(this.trailing(`${inner}${text},`, this.termEnd(item)));
    });
    lines.push(indent + close);
    return lines.join("\n");
  }

  private object(entries: [Term, Term][], line: number, indent: string): string {
    if (entries.length === 0) return "{}";
    const entry = (k: Term, v: Term, i: number, inner: string): string =>
      i === 0
        ? `${this.firstItem(k, inner)}: ${this.firstItem(v, inner)}`
        : `${this.term(k, IN, inner)}: ${this.term(v, IN, inner)}`;
    if (!entries.some(([k]) => k.loc.line !== line)) {
      return `{${entries.map(([k, v], i) => entry(k, v, i, indent)).join(", ")}}`;
    }
    const inner = indent + "\t";
    const lines = ["{"];
    entries.forEach(([k, v], i) => {
      lines.push(...this.leading(k.loc.offset, k.loc.line, inner));
      lines.push(this.trailing(`${inner}${entry(k, v, i, inner)},`, this.termEnd(v)));
    });
    lines.push(indent + "}");
    return lines.join("\n");
  }

  private comprehension(
    open: string,
    close: string,
    head: string,
    body: Body,
    loc: Term["loc"],
    indent: string,
  ): string {
    const multiline = body.some((e) => e.loc.line !== loc.line || e.body.kind === "every");
    if (!multiline) {
      return `${open}${head} | ${body.map((e) => this.expr(e, indent)).join("; ")}${close}`;
    }
    const inner = indent + "\t";
    const lines = [`${open}${head} |`];
    for (const e of body) lines.push(...this.statement(e, inner));
    lines.push(...this.leading(loc.end, Number.POSITIVE_INFINITY, inner));
    lines.push(indent + close);
    return lines.join("\n");
  }
}
