// The Rego abstract syntax tree shared by every later stage (checker, planner, evaluator,
// formatter). Every node carries its source location so that any stage can report
// `file:line:col`. Operators are represented as calls to OPA's builtin names (`plus`,
// `equal`, `internal.member_2`, ...) so that checker, planner and evaluator need only one
// path for them; `infix` remembers the surface syntax for the formatter.

export interface Location {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in Unicode code points. */
  col: number;
  /** 0-based UTF-16 offset into the source text (start of the node). */
  offset: number;
  /** 0-based UTF-16 offset just past the end of the node. */
  end: number;
}

// ---------------------------------------------------------------------------- terms

export interface NullTerm {
  type: "null";
  loc: Location;
}
export interface BooleanTerm {
  type: "boolean";
  value: boolean;
  loc: Location;
}
export interface NumberTerm {
  type: "number";
  /** The literal as written (integers of any size are kept exactly here). */
  raw: string;
  /** The IEEE-754 value every engine computes with (see docs/decisions.md). */
  value: number;
  loc: Location;
}
export interface StringTerm {
  type: "string";
  value: string;
  /** True for back-quoted raw strings (kept for the formatter). */
  raw?: boolean;
  loc: Location;
}
export interface VarTerm {
  type: "var";
  /** `_` is the wildcard; the parser renames each `_` to a unique `$_N` name. */
  name: string;
  loc: Location;
}
/** `head.path[0].path[1]...`; dotted segments are string terms, bracket segments any term. */
export interface RefTerm {
  type: "ref";
  head: Term;
  path: Term[];
  loc: Location;
}
export interface ArrayTerm {
  type: "array";
  items: Term[];
  loc: Location;
}
export interface SetTerm {
  type: "set";
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  type: "object";
  entries: [Term, Term][];
  loc: Location;
}
export interface ArrayComprehension {
  type: "arraycompr";
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  type: "setcompr";
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  type: "objectcompr";
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}
/** A function or builtin call, including operators (`a + b` is `plus(a, b)`, infix). */
export interface CallTerm {
  type: "call";
  /** Dotted name as written, e.g. `["object", "get"]`, `["data", "lib", "f"]`, `["plus"]`. */
  operator: string[];
  args: Term[];
  infix?: boolean;
  loc: Location;
}

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type CompositeTerm = ArrayTerm | SetTerm | ObjectTerm;
export type ComprehensionTerm = ArrayComprehension | SetComprehension | ObjectComprehension;
export type Term = ScalarTerm | VarTerm | RefTerm | CompositeTerm | ComprehensionTerm | CallTerm;

// ---------------------------------------------------------------------------- expressions

export interface WithModifier {
  /** `input...` or `data...` ref (or a function/builtin name) being replaced. */
  target: Term;
  value: Term;
  loc: Location;
}

/** A term used as a statement: true when defined and not `false`. */
export interface TermExpr {
  kind: "term";
  term: Term;
}
/** `lhs := rhs` (declares the vars of lhs) or `lhs = rhs` (unification). */
export interface AssignExpr {
  kind: "assign" | "unify";
  lhs: Term;
  rhs: Term;
}
/** `some x, y` */
export interface SomeDeclExpr {
  kind: "some";
  vars: VarTerm[];
}
/** `some v in xs` / `some k, v in xs` */
export interface SomeInExpr {
  kind: "somein";
  key?: Term;
  value: Term;
  collection: Term;
}
/** `every v in xs { ... }` / `every k, v in xs { ... }` */
export interface EveryExpr {
  kind: "every";
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
}

export type ExprBody = TermExpr | AssignExpr | SomeDeclExpr | SomeInExpr | EveryExpr;

export interface Expr {
  negated: boolean;
  with: WithModifier[];
  body: ExprBody;
  loc: Location;
}

export type Body = Expr[];

// ---------------------------------------------------------------------------- rules

/**
 * The head of a rule. OPA 1.x forms and how they map:
 * - `p := v if ...`, `p if ...`        → kind "complete", value (true when omitted)
 * - `a.b.p := v if ...`                → kind "complete", ref ["a","b","p"] (all strings)
 * - `p contains x if ...`              → kind "set", key x
 * - `p[k] := v if ...`, `a.b[k] := v`  → kind "object", ref ends with a non-string term
 * - `f(x) := v if ...`                 → kind "function", args
 */
export interface RuleHead {
  kind: "complete" | "set" | "object" | "function";
  /** The rule's name, first ref element (`p` in `p.q[x]`). */
  name: string;
  /** Full head ref: `[name, ...segments]`; segments after the first are terms. */
  ref: Term[];
  args?: Term[];
  /** The element for `contains`. */
  key?: Term;
  /** The value; absent means `true` (or, for `contains`, not applicable). */
  value?: Term;
  /** How the value was bound in the source (`:=`, `=`, or implicit). */
  assign?: ":=" | "=";
  loc: Location;
}

export interface ElseClause {
  value?: Term;
  assign?: ":=" | "=";
  body: Body;
  loc: Location;
}

export interface Annotation {
  scope: "rule" | "document" | "package" | "subpackages";
  title?: string;
  description?: string;
  entrypoint?: boolean;
  /** Free-form `custom:` section (rule IDs live in `custom.rule_ids`). */
  custom?: Record<string, unknown>;
  /** Every key of the YAML block, as parsed. */
  raw: Record<string, unknown>;
  loc: Location;
}

export interface Rule {
  type: "rule";
  default: boolean;
  head: RuleHead;
  /** Empty for rules without a body (`p := 1`), which always apply. */
  body: Body;
  /** `if` was written before the body (kept for the formatter). */
  hasIf: boolean;
  else: ElseClause[];
  annotations: Annotation[];
  loc: Location;
}

export interface Import {
  /** `data.a.b` or `input.x` or `rego.v1` / `future.keywords...` as a ref. */
  path: RefTerm | VarTerm;
  alias?: string;
  loc: Location;
}

export interface Comment {
  text: string;
  loc: Location;
}

export interface Package {
  /** Path below `data`: `package a.b` → `["a", "b"]`. */
  path: string[];
  loc: Location;
}

export interface Module {
  type: "module";
  file: string;
  package: Package;
  imports: Import[];
  rules: Rule[];
  /** Annotations with package, subpackages or document scope. */
  annotations: Annotation[];
  comments: Comment[];
}
