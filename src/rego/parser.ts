// The Rego v1 parser: recursive descent over the token array from the lexer, building the
// AST of ./ast.ts. Operators become infix CallTerms with OPA's builtin names; precedence
// (lowest first) is `in`, comparison, `|`, `&`, `+ -`, `* / %`, as in OPA's grammar.
// Errors are reported as located `rego_parse_error`s; the module parser resynchronizes at
// the next line that starts at column 1 so that one run reports several errors.
import type {
  ArrayTerm,
  Body,
  CallTerm,
  ElseClause,
  Expr,
  ExprBody,
  Import,
  Location,
  Module,
  NumberTerm,
  ObjectTerm,
  Package,
  RefTerm,
  Rule,
  RuleHead,
  SetTerm,
  StringTerm,
  Term,
  VarTerm,
  WithModifier,
} from "./ast.js";
import { DiagnosticError, diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineMap, SyntaxFailure, lex, type LexComment, type Token } from "./lexer.js";
import { attachAnnotations } from "./annotations.js";

/** Keywords of Rego v1: none of them can name a variable or a rule. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "as",
  "contains",
  "default",
  "else",
  "every",
  "false",
  "if",
  "import",
  "in",
  "not",
  "null",
  "package",
  "some",
  "true",
  "with",
]);

/** Nesting beyond this depth is rejected with a located error instead of overflowing. */
export const MAX_NESTING = 1000;

/** At most this many errors are collected before the module parser gives up. */
const MAX_ERRORS = 20;

const enum Prec {
  In = 1,
  Compare = 2,
  Or = 3,
  And = 4,
  Add = 5,
  Mul = 6,
}

const BINARY_OPS: Readonly<Record<string, { prec: Prec; name: string }>> = {
  "==": { prec: Prec.Compare, name: "equal" },
  "!=": { prec: Prec.Compare, name: "neq" },
  "<": { prec: Prec.Compare, name: "lt" },
  "<=": { prec: Prec.Compare, name: "lte" },
  ">": { prec: Prec.Compare, name: "gt" },
  ">=": { prec: Prec.Compare, name: "gte" },
  "|": { prec: Prec.Or, name: "or" },
  "&": { prec: Prec.And, name: "and" },
  "+": { prec: Prec.Add, name: "plus" },
  "-": { prec: Prec.Add, name: "minus" },
  "*": { prec: Prec.Mul, name: "mul" },
  "/": { prec: Prec.Mul, name: "div" },
  "%": { prec: Prec.Mul, name: "rem" },
};

const CLOSERS: Readonly<Record<string, string>> = { "[": "]", "{": "}", "(": ")" };
const BRACKET_NAMES: Readonly<Record<string, string>> = {
  "]": "bracket",
  "}": "brace",
  ")": "parenthesis",
};

/** Parses a whole module; throws DiagnosticError (rego_parse_error) on bad input. */
export function parseModule(text: string, file: string): Module {
  const lines = new LineMap(text);
  let tokens: Token[];
  let comments: LexComment[];
  try {
    ({ tokens, comments } = lex(text, lines));
  } catch (err) {
    throw toDiagnosticError(err, file, lines);
  }
  const parser = new Parser(tokens, file, lines);
  const module = parser.parseModule();
  module.comments = comments.map((c) => ({ text: c.text, loc: parser.locOf(c.offset, c.end) }));
  const annotationErrors = attachAnnotations(module, comments, text, (offset, end) =>
    parser.locOf(offset, end),
  );
  const deep = parser.errors.length === 0 ? tooDeep(moduleRoots(module)) : undefined;
  if (deep !== undefined) parser.errors.push(depthError(deep));
  const errors = [...parser.errors, ...annotationErrors].sort(
    (a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col,
  );
  if (errors.length > 0) throw new DiagnosticError(errors);
  return module;
}

/** Parses a query (`ccpol eval`): expressions separated by `;` or newlines. */
export function parseQuery(text: string, file = "<query>"): Body {
  const lines = new LineMap(text);
  try {
    const { tokens } = lex(text, lines);
    const body = new Parser(tokens, file, lines).parseTopLevelQuery();
    const deep = tooDeep(body);
    if (deep !== undefined) throw new DiagnosticError([depthError(deep)]);
    return body;
  } catch (err) {
    throw toDiagnosticError(err, file, lines);
  }
}

// ---------------------------------------------------------------------------- tree depth
// Every later stage walks the AST recursively. Bracket nesting is bounded while parsing;
// operator chains (`a + b + c ...`) deepen the tree without nesting the text, so the depth
// of the finished tree is checked too, iteratively.

/** The deepest tree (terms and expressions on one path) a module or query may have. */
export const MAX_TREE_DEPTH = 1200;

type Node = Term | Expr;

/** `out.push(...items)` without spreading (which iterates slowly before the code is hot). */
function appendAll(out: Node[], items: readonly Node[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

/**
 * A copy of `items` without spare capacity. An array grown by `push` keeps room for about
 * 16 more elements (over 100 bytes); lists that stay in the AST live as long as the program
 * and the garbage collector copies every byte of them, so they are stored at their size.
 */
function exactSize<T>(items: T[]): T[] {
  return items.slice();
}

function moduleRoots(module: Module): Node[] {
  const roots: Node[] = [];
  for (let i = 0; i < module.rules.length; i++) {
    const r = module.rules[i]!;
    appendAll(roots, r.head.ref);
    if (r.head.args !== undefined) appendAll(roots, r.head.args);
    appendAll(roots, r.body);
    if (r.head.key !== undefined) roots.push(r.head.key);
    if (r.head.value !== undefined) roots.push(r.head.value);
    for (let j = 0; j < r.else.length; j++) {
      const e = r.else[j]!;
      if (e.value !== undefined) roots.push(e.value);
      appendAll(roots, e.body);
    }
  }
  return roots;
}

/**
 * The pending nodes of the depth walk and their depths, as two parallel stacks: the walk
 * visits every node of every module, so it allocates nothing per node.
 */
class DepthStack {
  private readonly nodes: Node[] = [];
  private readonly depths: number[] = [];
  /** Depth of the node last popped. */
  depth = 0;

  push(node: Node, depth: number): void {
    this.nodes.push(node);
    this.depths.push(depth);
  }

  pop(): Node | undefined {
    const node = this.nodes.pop();
    this.depth = this.depths.pop() ?? 0;
    return node;
  }

  /** Pushes the children of `node`, one level below `depth`. */
  pushChildren(node: Node, depth: number): void {
    const d = depth + 1;
    if ("negated" in node) {
      this.pushExprChildren(node, d);
      return;
    }
    switch (node.type) {
      case "ref":
        this.push(node.head, d);
        for (let i = 0; i < node.path.length; i++) this.push(node.path[i]!, d);
        return;
      case "array":
      case "set":
        for (let j = 0; j < node.items.length; j++) this.push(node.items[j]!, d);
        return;
      case "object":
        for (let i = 0; i < node.entries.length; i++) {
          const entry = node.entries[i]!;
          const k = entry[0];
          const v = entry[1];
          this.push(k, d);
          this.push(v, d);
        }
        return;
      case "call":
        for (let i = 0; i < node.args.length; i++) this.push(node.args[i]!, d);
        return;
      case "arraycompr":
      case "setcompr":
        this.push(node.term, d);
        for (let i = 0; i < node.body.length; i++) this.push(node.body[i]!, d);
        return;
      case "objectcompr":
        this.push(node.key, d);
        this.push(node.value, d);
        for (let i = 0; i < node.body.length; i++) this.push(node.body[i]!, d);
        return;
      default:
        return;
    }
  }

  private pushExprChildren(e: Expr, d: number): void {
    for (let i = 0; i < e.with.length; i++) {
      const w = e.with[i]!;
      this.push(w.target, d);
      this.push(w.value, d);
    }
    const b = e.body;
    switch (b.kind) {
      case "term":
        this.push(b.term, d);
        return;
      case "assign":
      case "unify":
        this.push(b.lhs, d);
        this.push(b.rhs, d);
        return;
      case "some":
        for (let i = 0; i < b.vars.length; i++) this.push(b.vars[i]!, d);
        return;
      case "somein":
        if (b.key !== undefined) this.push(b.key, d);
        this.push(b.value, d);
        this.push(b.collection, d);
        return;
      case "every":
        if (b.key !== undefined) this.push(b.key, d);
        this.push(b.value, d);
        this.push(b.domain, d);
        for (let i = 0; i < b.body.length; i++) this.push(b.body[i]!, d);
        return;
    }
  }
}

/**
 * The top-level term or expression (rule head part or body expression) holding a path
 * deeper than MAX_TREE_DEPTH, if any. Uses an explicit stack, not recursion.
 */
function tooDeep(roots: readonly Node[]): Node | undefined {
  const stack = new DepthStack();
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    stack.push(root, 1);
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (stack.depth > MAX_TREE_DEPTH) return root;
      stack.pushChildren(node, stack.depth);
    }
  }
  return undefined;
}

function depthError(node: Node): Diagnostic {
  return diagnostic(
    "rego_parse_error",
    `expression too deeply nested: more than ${MAX_TREE_DEPTH} levels (split it into several rules or expressions)`,
    node.loc,
  );
}

function toDiagnosticError(err: unknown, file: string, lines: LineMap): DiagnosticError {
  if (err instanceof SyntaxFailure) {
    const { line, col } = lines.position(err.offset);
    return new DiagnosticError([diagnostic("rego_parse_error", err.message, { file, line, col })]);
  }
  if (err instanceof DiagnosticError) return err;
  throw err;
}

function describe(tok: Token): string {
  switch (tok.kind) {
    case "eof":
      return "end of file";
    case "ident":
      return KEYWORDS.has(tok.value) ? `keyword "${tok.value}"` : `identifier "${tok.value}"`;
    case "number":
      return `number ${tok.value}`;
    case "string":
    case "rawstring": {
      const shown = tok.value.length > 20 ? `${tok.value.slice(0, 20)}...` : tok.value;
      return `string ${JSON.stringify(shown)}`;
    }
    case "punct":
      return `"${tok.value}"`;
  }
}

class Parser {
  private pos = 0;
  /**
   * One entry per open nesting level: whether newlines separate expressions there (bodies)
   * or are plain whitespace (inside brackets, braces and parentheses).
   */
  private readonly levels: boolean[] = [];
  private wildcards = 0;
  readonly errors: Diagnostic[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    private readonly lines: LineMap,
  ) {}

  // ------------------------------------------------------------------ token helpers

  private peek(ahead = 0): Token {
    const t = this.tokens[this.pos + ahead];
    return t ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  private isPunct(value: string, tok: Token = this.peek()): boolean {
    return tok.kind === "punct" && tok.value === value;
  }

  private isKeyword(value: string, tok: Token = this.peek()): boolean {
    return tok.kind === "ident" && tok.value === value;
  }

  private acceptPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.pos++;
    return true;
  }

  private acceptKeyword(value: string): boolean {
    if (!this.isKeyword(value)) return false;
    this.pos++;
    return true;
  }

  private fail(message: string, tok: Token = this.peek()): never {
    throw new SyntaxFailure(message, tok.offset);
  }

  private unexpected(expected: string, tok: Token = this.peek()): never {
    this.fail(`unexpected ${describe(tok)}, expected ${expected}`, tok);
  }

  private expectPunct(value: string, context?: string): Token {
    const tok = this.peek();
    if (this.isPunct(value, tok)) return this.next();
    this.unexpected(context === undefined ? `"${value}"` : `"${value}" ${context}`, tok);
  }

  /** Consumes the closer of `open`; a missing closer at end of file is reported at `open`. */
  private expectClose(open: Token): Token {
    const closer = CLOSERS[open.value] as string;
    const tok = this.peek();
    if (this.isPunct(closer, tok)) return this.next();
    if (tok.kind === "eof") {
      this.fail(`missing closing ${BRACKET_NAMES[closer]} ${closer}`, open);
    }
    this.unexpected(`"${closer}"`, tok);
  }

  private prevEnd(): number {
    const prev = this.tokens[this.pos - 1];
    return prev === undefined ? 0 : prev.end;
  }

  locOf(offset: number, end: number): Location {
    const { line, col } = this.lines.position(offset);
    return { file: this.file, line, col, offset, end };
  }

  /** The span of one token: the lexer already knows its line and column. */
  private tokenLoc(t: Token): Location {
    return { file: this.file, line: t.line, col: t.col, offset: t.offset, end: t.end };
  }

  private locFrom(start: Token): Location {
    return {
      file: this.file,
      line: start.line,
      col: start.col,
      offset: start.offset,
      end: Math.max(start.end, this.prevEnd()),
    };
  }

  private spanLoc(from: Location, to: Location): Location {
    return { file: this.file, line: from.line, col: from.col, offset: from.offset, end: to.end };
  }

  /** Opens a nesting level; `newlines` says whether newlines separate expressions in it. */
  private enter(tok: Token, newlines = false): void {
    if (this.levels.length >= MAX_NESTING) {
      this.fail(`nesting too deep: more than ${MAX_NESTING} levels`, tok);
    }
    this.levels.push(newlines);
  }

  private leave(): void {
    this.levels.pop();
  }

  private newlinesSeparate(): boolean {
    return this.levels[this.levels.length - 1] ?? true;
  }

  // ------------------------------------------------------------------ module

  parseModule(): Module {
    const module: Module = {
      type: "module",
      file: this.file,
      package: { path: [], loc: this.locOf(0, 0) },
      imports: [],
      rules: [],
      annotations: [],
      comments: [],
    };
    try {
      module.package = this.parsePackage();
      this.expectStatementEnd();
    } catch (err) {
      this.record(err);
      return module;
    }
    while (this.peek().kind !== "eof") {
      const start = this.pos;
      try {
        this.parseStatement(module);
        this.expectStatementEnd();
      } catch (err) {
        this.record(err);
        this.levels.length = 0;
        if (this.errors.length >= MAX_ERRORS) break;
        this.resync(start);
      }
    }
    return module;
  }

  private record(err: unknown): void {
    if (!(err instanceof SyntaxFailure)) throw err;
    const { line, col } = this.lines.position(err.offset);
    this.errors.push(diagnostic("rego_parse_error", err.message, { file: this.file, line, col }));
  }

  /** Skips to the next token that starts a line at column 1: the likely next statement. */
  private resync(start: number): void {
    if (this.pos <= start) this.pos = start + 1;
    while (this.peek().kind !== "eof") {
      const t = this.peek();
      if (t.nlBefore && t.col === 1 && t.kind === "ident") return;
      this.pos++;
    }
  }

  private expectStatementEnd(): void {
    const t = this.peek();
    if (t.kind === "eof" || t.nlBefore) return;
    if (this.acceptPunct(";")) return;
    this.unexpected("a newline before the next statement", t);
  }

  private parseStatement(module: Module): void {
    const t = this.peek();
    if (this.isKeyword("import", t)) {
      module.imports.push(this.parseImport());
      return;
    }
    if (this.isKeyword("package", t)) this.fail("unexpected second package declaration", t);
    module.rules.push(this.parseRule());
  }

  private parsePackage(): Package {
    const start = this.peek();
    if (!this.acceptKeyword("package")) this.unexpected('"package" declaration', start);
    const first = this.peek();
    if (first.kind !== "ident" || KEYWORDS.has(first.value)) {
      this.unexpected("a package path", first);
    }
    const ref = this.parsePathRef();
    const path = [ref.head as VarTerm, ...ref.path].map((t) =>
      t.type === "var" ? t.name : (t as StringTerm).value,
    );
    return { path, loc: this.locFrom(start) };
  }

  /** `.name` (the dot is the next token) as a string segment. */
  private dotSegment(): StringTerm {
    this.pos++;
    const name = this.next();
    if (name.kind !== "ident" || name.wsBefore) this.unexpected('a name after "."', name);
    return { type: "string", value: name.value, loc: this.locFrom(name) };
  }

  /** `a.b["c"]`: an identifier followed by dotted names or bracketed strings. */
  private parsePathRef(): RefTerm {
    const first = this.next();
    if (first.kind !== "ident") this.unexpected("a name", first);
    const head: VarTerm = { type: "var", name: first.value, loc: this.locFrom(first) };
    const path: Term[] = [];
    while (true) {
      const t = this.peek();
      if (this.isPunct(".", t) && !t.wsBefore) {
        path.push(this.dotSegment());
      } else if (this.isPunct("[", t) && !t.wsBefore) {
        this.pos++;
        const s = this.next();
        if (s.kind !== "string" && s.kind !== "rawstring") this.unexpected("a string", s);
        path.push(this.stringTerm(s));
        this.expectClose(t);
      } else {
        break;
      }
    }
    return { type: "ref", head, path: exactSize(path), loc: this.locFrom(first) };
  }

  private parseImport(): Import {
    const start = this.next();
    const first = this.peek();
    if (first.kind !== "ident") this.unexpected("an import path", first);
    if (!["data", "input", "future", "rego"].includes(first.value)) {
      this.fail(
        `invalid import path "${first.value}": must begin with data, input, future or rego`,
        first,
      );
    }
    const ref = this.parsePathRef();
    const path: RefTerm | VarTerm = ref.path.length === 0 ? (ref.head as VarTerm) : ref;
    let alias: string | undefined;
    if (this.acceptKeyword("as")) {
      const a = this.next();
      if (a.kind !== "ident" || KEYWORDS.has(a.value) || a.value === "_") {
        this.unexpected("an alias name", a);
      }
      alias = a.value;
    }
    const imp: Import = { path, loc: this.locFrom(start) };
    if (alias !== undefined) imp.alias = alias;
    return imp;
  }

  // ------------------------------------------------------------------ rules

  private parseRule(): Rule {
    const start = this.peek();
    const isDefault = this.acceptKeyword("default");
    const head = this.parseRuleHead(isDefault);
    const rule: Rule = {
      type: "rule",
      default: isDefault,
      head,
      body: [],
      hasIf: false,
      else: [],
      annotations: [],
      loc: head.loc,
    };
    if (isDefault) {
      if (head.value === undefined) {
        this.fail('default rules need a value: write "default p := <value>"', this.peek());
      }
      if (this.isKeyword("if") || this.isPunct("{")) {
        this.fail("default rules cannot have a body");
      }
      rule.loc = this.locFrom(start);
      return rule;
    }
    if (this.acceptKeyword("if")) {
      rule.hasIf = true;
      rule.body = this.parseRuleBody();
    } else if (this.isPunct("{")) {
      this.failMissingIf(head);
    } else if (head.value === undefined && head.key === undefined) {
      this.fail(
        `rule "${head.name}" needs a value or a body (write "${head.name} := <value>" or "${head.name} if { ... }")`,
        this.peek(),
      );
    }
    while (this.isKeyword("else")) {
      if (head.kind === "set" || head.kind === "object") {
        this.fail('"else" cannot be used on multi-value (contains) or object rules');
      }
      if (rule.body.length === 0) this.fail('"else" needs a rule with a body before it');
      rule.else.push(this.parseElse());
    }
    rule.loc = this.locFrom(start);
    return rule;
  }

  private failMissingIf(head: RuleHead): never {
    const lastRef = head.ref[head.ref.length - 1];
    if (
      head.kind === "object" &&
      head.value === undefined &&
      lastRef !== undefined &&
      lastRef.type !== "string"
    ) {
      this.fail(
        `\`contains\` keyword is required for partial set rules: write "${head.name} contains <term> if { ... }"`,
      );
    }
    this.fail("`if` keyword is required before rule body");
  }

  private parseRuleBody(): Body {
    const t = this.peek();
    if (this.isPunct("{", t)) {
      this.pos++;
      return this.parseBracedQuery(t);
    }
    return [this.parseLiteral()];
  }

  private parseElse(): ElseClause {
    const start = this.next();
    const clause: ElseClause = { body: [], loc: this.locFrom(start) };
    const op = this.peek();
    if (this.isPunct(":=", op) || this.isPunct("=", op)) {
      this.pos++;
      clause.assign = op.value as ":=" | "=";
      clause.value = this.parseMembership(true);
    }
    if (this.acceptKeyword("if")) {
      clause.body = this.parseRuleBody();
    } else if (this.isPunct("{")) {
      const open = this.next();
      clause.body = this.parseBracedQuery(open);
    } else if (clause.value === undefined) {
      this.unexpected('a value (":=") or a body ("if") after "else"');
    }
    clause.loc = this.locFrom(start);
    return clause;
  }

  private parseRuleHead(isDefault: boolean): RuleHead {
    const start = this.peek();
    if (start.kind !== "ident") this.unexpected("a rule name", start);
    if (KEYWORDS.has(start.value)) {
      this.fail(`keyword "${start.value}" cannot be used as a rule name`, start);
    }
    if (start.value === "_") this.fail('"_" cannot be used as a rule name', start);
    this.pos++;
    const ref: Term[] = [{ type: "var", name: start.value, loc: this.locFrom(start) }];
    this.parseHeadRefSegments(ref);
    const head: RuleHead = { kind: "complete", name: start.value, ref, loc: this.locFrom(start) };
    const paren = this.peek();
    if (this.isPunct("(", paren) && !paren.wsBefore) {
      this.pos++;
      head.kind = "function";
      head.args = this.parseTermList(paren, ")");
    }
    if (this.isKeyword("contains")) {
      if (head.kind === "function" || isDefault) {
        this.fail('"contains" cannot be used with functions or default rules');
      }
      this.pos++;
      head.kind = "set";
      head.key = this.parseBinary(Prec.Or);
    } else {
      const op = this.peek();
      if (this.isPunct(":=", op) || this.isPunct("=", op)) {
        this.pos++;
        head.assign = op.value as ":=" | "=";
        head.value = this.parseMembership(true);
      }
    }
    if (head.kind === "complete" && ref.slice(1).some((t) => t.type !== "string")) {
      head.kind = "object";
    }
    head.loc = this.locFrom(start);
    return head;
  }

  private parseHeadRefSegments(ref: Term[]): void {
    while (true) {
      const t = this.peek();
      if (this.isPunct(".", t) && !t.wsBefore) {
        ref.push(this.dotSegment());
      } else if (this.isPunct("[", t) && !t.wsBefore) {
        this.pos++;
        this.enter(t);
        ref.push(this.parseMembership(false));
        this.leave();
        this.expectClose(t);
      } else {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ bodies

  /** After `{`: literals separated by `;` or newlines, up to the matching `}`. */
  private parseBracedQuery(open: Token): Body {
    return this.parseQueryUntil(open, "}");
  }

  private parseQueryUntil(open: Token, closer: string): Body {
    this.enter(open, true);
    if (this.isPunct(closer)) this.fail("empty body: a body needs at least one expression");
    const body: Body = [];
    while (true) {
      body.push(this.parseLiteral());
      const t = this.peek();
      if (this.isPunct(";", t)) {
        this.pos++;
        if (this.isPunct(closer)) break;
        continue;
      }
      if (this.isPunct(closer, t)) break;
      if (t.kind === "eof") this.expectClose(open);
      if (!t.nlBefore) this.unexpected(`a newline, ";" or "${closer}"`, t);
    }
    this.expectClose(open);
    this.leave();
    return exactSize(body);
  }

  parseTopLevelQuery(): Body {
    const body: Body = [];
    if (this.peek().kind === "eof") this.fail("empty query");
    while (true) {
      body.push(this.parseLiteral());
      const t = this.peek();
      if (this.acceptPunct(";")) {
        if (this.peek().kind === "eof") break;
        continue;
      }
      if (t.kind === "eof") break;
      if (!t.nlBefore) this.unexpected('a newline or ";"', t);
    }
    return exactSize(body);
  }

  private parseLiteral(): Expr {
    const start = this.peek();
    let negated = false;
    let body: ExprBody;
    if (this.isKeyword("some", start)) {
      body = this.parseSome();
    } else if (this.isKeyword("every", start)) {
      body = this.parseEvery();
    } else {
      negated = this.acceptKeyword("not");
      const after = this.peek();
      if (negated && (this.isKeyword("some", after) || this.isKeyword("every", after))) {
        this.fail(`"not" cannot be applied to "${after.value}"`, after);
      }
      body = this.parseExprBody();
    }
    const withs: WithModifier[] = [];
    while (this.isKeyword("with")) withs.push(this.parseWith());
    return {
      negated,
      with: withs.length === 0 ? withs : exactSize(withs),
      body,
      loc: this.locFrom(start),
    };
  }

  private parseExprBody(): ExprBody {
    const lhs = this.parseMembership(true);
    const op = this.peek();
    if (this.isPunct(":=", op) || this.isPunct("=", op)) {
      this.pos++;
      const rhs = this.parseMembership(true);
      return { kind: op.value === ":=" ? "assign" : "unify", lhs, rhs };
    }
    return { kind: "term", term: lhs };
  }

  private parseWith(): WithModifier {
    const start = this.next();
    const targetTok = this.peek();
    if (targetTok.kind !== "ident" || KEYWORDS.has(targetTok.value)) {
      this.unexpected('a reference after "with" (input, data or a function name)', targetTok);
    }
    const target = this.parsePostfix();
    if (!this.acceptKeyword("as")) this.unexpected('"as"');
    const value = this.parseBinary(Prec.In);
    return { target, value, loc: this.locFrom(start) };
  }

  private parseSome(): ExprBody {
    const someTok = this.next();
    const first = this.parseBinary(Prec.Compare);
    const terms: Term[] = [first];
    while (this.acceptPunct(",")) terms.push(this.parseBinary(Prec.Compare));
    if (this.acceptKeyword("in")) {
      if (terms.length > 2) {
        this.fail('"some ... in" takes one or two variables (value, or key and value)', someTok);
      }
      const collection = this.parseBinary(Prec.Compare);
      const [a, b] = terms as [Term, Term | undefined];
      return b === undefined
        ? { kind: "somein", value: a, collection }
        : { kind: "somein", key: a, value: b, collection };
    }
    const vars = terms.map((t) => {
      if (t.type === "var") return t;
      throw new SyntaxFailure('"some" declares variables: expected a variable name', t.loc.offset);
    });
    return { kind: "some", vars };
  }

  private parseEvery(): ExprBody {
    this.next();
    const first = this.parseEveryVar();
    let second: VarTerm | undefined;
    if (this.acceptPunct(",")) second = this.parseEveryVar();
    if (!this.acceptKeyword("in")) this.unexpected('"in" after the "every" variables');
    const domain = this.parseBinary(Prec.Compare);
    const open = this.peek();
    if (!this.isPunct("{", open)) this.unexpected('"{" to start the "every" body', open);
    this.pos++;
    const body = this.parseBracedQuery(open);
    return second === undefined
      ? { kind: "every", value: first, domain, body }
      : { kind: "every", key: first, value: second, domain, body };
  }

  private parseEveryVar(): VarTerm {
    const t = this.peek();
    if (t.kind !== "ident" || KEYWORDS.has(t.value)) this.unexpected("a variable name", t);
    this.pos++;
    return this.varTerm(t);
  }

  // ------------------------------------------------------------------ expressions

  /**
   * `in`-level expression; with `allowKeyValue`, also `k, v in xs` (member_3), which is
   * only meaningful where a comma cannot separate list items.
   */
  private parseMembership(allowKeyValue: boolean): Term {
    const first = this.parseBinary(Prec.Compare);
    if (allowKeyValue && this.isPunct(",")) {
      this.pos++;
      const second = this.parseBinary(Prec.Compare);
      const inTok = this.peek();
      if (!this.isKeyword("in", inTok)) this.unexpected('"in" after "key, value"', inTok);
      this.pos++;
      const coll = this.parseBinary(Prec.Compare);
      const call = this.infix("internal.member_3", [first, second, coll]);
      return this.continueBinary(call, Prec.In);
    }
    return this.continueBinary(first, Prec.In);
  }

  private parseBinary(minPrec: Prec): Term {
    return this.continueBinary(this.parseUnary(), minPrec);
  }

  /** Precedence climbing from an already parsed left operand; all operators associate left. */
  private continueBinary(left: Term, minPrec: Prec): Term {
    while (true) {
      const t = this.peek();
      let prec: Prec;
      let name: string;
      if (t.kind === "punct") {
        const op = BINARY_OPS[t.value];
        if (op === undefined) return left;
        ({ prec, name } = op);
      } else if (this.isKeyword("in", t)) {
        prec = Prec.In;
        name = "internal.member_2";
      } else {
        return left;
      }
      if (prec < minPrec) return left;
      // In a body, a line starting with `-` starts a new expression (`-1 in xs`).
      if (t.nlBefore && t.value === "-" && this.newlinesSeparate()) return left;
      this.pos++;
      const right = this.parseBinary((prec + 1) as Prec);
      left = this.infix(name, [left, right]);
    }
  }

  private infix(name: string, args: Term[]): CallTerm {
    const first = args[0] as Term;
    const last = args[args.length - 1] as Term;
    return {
      type: "call",
      operator: [name],
      args,
      infix: true,
      loc: this.spanLoc(first.loc, last.loc),
    };
  }

  /** A postfix term, or unary minus applied to one. */
  private parseUnary(): Term {
    const t = this.peek();
    if (!this.isPunct("-", t)) return this.parsePostfix();
    this.pos++;
    const operand = this.peek();
    if (operand.kind === "number") {
      this.pos++;
      const raw = "-" + operand.value;
      const num: NumberTerm = { type: "number", raw, value: Number(raw), loc: this.locFrom(t) };
      return this.continuePostfix(num);
    }
    this.enter(t, this.newlinesSeparate());
    const inner = this.parseUnary();
    this.leave();
    const zero: NumberTerm = {
      type: "number",
      raw: "0",
      value: 0,
      loc: this.tokenLoc(t),
    };
    return {
      type: "call",
      operator: ["minus"],
      args: [zero, inner],
      infix: true,
      loc: this.locFrom(t),
    };
  }

  private parsePostfix(): Term {
    return this.continuePostfix(this.parsePrimary());
  }

  /** Ref segments (`.name`, `[term]`) and calls (`(args)`), written without whitespace. */
  private continuePostfix(base: Term): Term {
    let term = base;
    while (true) {
      const t = this.peek();
      if (t.kind !== "punct" || t.wsBefore) return term;
      if (t.value === ".") {
        term = this.appendRef(term, this.dotSegment());
      } else if (t.value === "[") {
        this.pos++;
        this.enter(t);
        const index = this.parseMembership(false);
        this.leave();
        this.expectClose(t);
        term = this.appendRef(term, index);
      } else if (t.value === "(") {
        const operator = this.callName(term);
        if (operator === undefined) return term;
        this.pos++;
        const args = this.parseTermList(t, ")");
        term = { type: "call", operator, args, loc: this.spanLoc(term.loc, this.locFrom(t)) };
      } else {
        return term;
      }
    }
  }

  private appendRef(term: Term, seg: Term): RefTerm {
    const end = this.prevEnd();
    const loc: Location = { ...term.loc, end };
    if (term.type === "ref") {
      // `concat` builds the longer path at its exact size (a spread or `push` over-allocates).
      return { type: "ref", head: term.head, path: term.path.concat([seg]), loc };
    }
    return { type: "ref", head: term, path: [seg], loc };
  }

  /** The dotted name of a callable term (`f`, `object.get`, `data.lib.f`), if it is one. */
  private callName(term: Term): string[] | undefined {
    if (term.type === "var") return term.name.startsWith("$") ? undefined : [term.name];
    if (term.type !== "ref" || term.head.type !== "var") return undefined;
    const names = [term.head.name];
    for (let i = 0; i < term.path.length; i++) {
      const seg = term.path[i]!;
      if (seg.type !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg.value)) return undefined;
      names.push(seg.value);
    }
    return names;
  }

  /** Comma-separated `in`-level terms up to `closer` (trailing comma allowed). */
  private parseTermList(open: Token, closer: string): Term[] {
    this.enter(open);
    const items: Term[] = [];
    while (!this.isPunct(closer)) {
      items.push(this.parseBinary(Prec.In));
      if (!this.acceptPunct(",")) break;
    }
    this.expectCloseOrComma(open, closer);
    this.leave();
    return exactSize(items);
  }

  private expectCloseOrComma(open: Token, closer: string): void {
    const t = this.peek();
    if (this.isPunct(closer, t)) {
      this.pos++;
      return;
    }
    if (t.kind === "eof") this.expectClose(open);
    this.unexpected(`"," or "${closer}"`, t);
  }

  private parsePrimary(): Term {
    const t = this.peek();
    switch (t.kind) {
      case "number":
        this.pos++;
        return { type: "number", raw: t.value, value: Number(t.value), loc: this.locFrom(t) };
      case "string":
      case "rawstring":
        this.pos++;
        return this.stringTerm(t);
      case "ident":
        return this.parseIdentTerm(t);
      case "punct":
        if (t.value === "[") return this.parseArray(t);
        if (t.value === "{") return this.parseBrace(t);
        if (t.value === "(") return this.parseParens(t);
        break;
      case "eof":
        break;
    }
    this.unexpected("a term", t);
  }

  private stringTerm(t: Token): StringTerm {
    const s: StringTerm = { type: "string", value: t.value, loc: this.locFrom(t) };
    if (t.kind === "rawstring") s.raw = true;
    return s;
  }

  private varTerm(t: Token): VarTerm {
    const name = t.value === "_" ? `$_${this.wildcards++}` : t.value;
    return { type: "var", name, loc: this.tokenLoc(t) };
  }

  private parseIdentTerm(t: Token): Term {
    this.pos++;
    switch (t.value) {
      case "true":
      case "false":
        return { type: "boolean", value: t.value === "true", loc: this.locFrom(t) };
      case "null":
        return { type: "null", loc: this.locFrom(t) };
      case "contains": {
        // A keyword in rule heads only; `contains(s, x)` in a term is the builtin.
        const open = this.peek();
        if (this.isPunct("(", open) && !open.wsBefore) return this.varTerm(t);
        break;
      }
      case "set": {
        const open = this.peek();
        const close = this.peek(1);
        if (this.isPunct("(", open) && !open.wsBefore && this.isPunct(")", close)) {
          this.pos += 2;
          const empty: SetTerm = { type: "set", items: [], loc: this.locFrom(t) };
          return empty;
        }
        return this.varTerm(t);
      }
    }
    if (KEYWORDS.has(t.value)) {
      this.fail(`unexpected keyword "${t.value}", expected a term`, t);
    }
    return this.varTerm(t);
  }

  private parseParens(open: Token): Term {
    this.pos++;
    this.enter(open);
    const inner = this.parseMembership(true);
    this.leave();
    this.expectClose(open);
    return inner;
  }

  private parseArray(open: Token): Term {
    this.pos++;
    this.enter(open);
    const items: Term[] = [];
    if (!this.isPunct("]")) {
      const head = this.parseUnary();
      if (this.acceptPunct("|")) {
        const body = this.parseQueryUntil(open, "]");
        this.leave();
        return { type: "arraycompr", term: head, body, loc: this.locFrom(open) };
      }
      items.push(this.continueBinary(head, Prec.In));
      while (this.acceptPunct(",")) {
        if (this.isPunct("]")) break;
        items.push(this.parseBinary(Prec.In));
      }
    }
    this.expectCloseOrComma(open, "]");
    this.leave();
    const arr: ArrayTerm = { type: "array", items: exactSize(items), loc: this.locFrom(open) };
    return arr;
  }

  /** `{}`, objects, sets, and set/object comprehensions. */
  private parseBrace(open: Token): Term {
    this.pos++;
    this.enter(open);
    if (this.acceptPunct("}")) {
      this.leave();
      const empty: ObjectTerm = { type: "object", entries: [], loc: this.locFrom(open) };
      return empty;
    }
    const head = this.parseUnary();
    if (this.acceptPunct("|")) {
      const body = this.parseQueryUntil(open, "}");
      this.leave();
      return { type: "setcompr", term: head, body, loc: this.locFrom(open) };
    }
    const first = this.continueBinary(head, Prec.In);
    const result = this.acceptPunct(":")
      ? this.parseObjectRest(open, first)
      : this.parseSetRest(open, first);
    this.leave();
    return result;
  }

  private parseObjectRest(open: Token, firstKey: Term): Term {
    const valueHead = this.parseUnary();
    if (this.acceptPunct("|")) {
      const body = this.parseQueryUntil(open, "}");
      return {
        type: "objectcompr",
        key: firstKey,
        value: valueHead,
        body,
        loc: this.locFrom(open),
      };
    }
    const entries: [Term, Term][] = [[firstKey, this.continueBinary(valueHead, Prec.In)]];
    while (this.acceptPunct(",")) {
      if (this.isPunct("}")) break;
      const key = this.parseBinary(Prec.In);
      this.expectPunct(":", "between object key and value");
      entries.push([key, this.parseBinary(Prec.In)]);
    }
    this.expectCloseOrComma(open, "}");
    return { type: "object", entries: exactSize(entries), loc: this.locFrom(open) };
  }

  private parseSetRest(open: Token, first: Term): Term {
    const items: Term[] = [first];
    while (this.acceptPunct(",")) {
      if (this.isPunct("}")) break;
      items.push(this.parseBinary(Prec.In));
    }
    this.expectCloseOrComma(open, "}");
    return { type: "set", items: exactSize(items), loc: this.locFrom(open) };
  }
}
