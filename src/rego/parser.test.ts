import { describe, expect, it } from "vitest";
import { parseModule, parseQuery } from "./parser.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import type { Module, Rule } from "./ast.js";
import { show, showBody, showExpr } from "../../test/parse/ast-helpers.js";

function mod(src: string): Module {
  return parseModule(`package test\n\n${src}\n`, "t.rego");
}

function rule(src: string, index = 0): Rule {
  const r = mod(src).rules[index];
  if (r === undefined) throw new Error("no rule");
  return r;
}

/** The body of `p if { <src> }` in s-expression form. */
function body(src: string): string {
  return showBody(rule(`p if {\n${src}\n}`).body);
}

function parseError(src: string): string {
  try {
    parseModule(src, "bad.rego");
  } catch (err) {
    if (err instanceof DiagnosticError) {
      return err.diagnostics.map((d) => `${d.loc.line}:${d.loc.col}: ${d.message}`).join("\n");
    }
    throw err;
  }
  throw new Error("expected a parse error");
}

describe("package and imports", () => {
  it("reads dotted and bracketed package paths", () => {
    expect(parseModule('package a.b["c-d"]\n', "f").package.path).toEqual(["a", "b", "c-d"]);
  });

  it("reads imports with aliases", () => {
    const m = mod(
      "import rego.v1\nimport data.lib.roles as r\nimport input.user\nimport future.keywords.in",
    );
    expect(m.imports.map((i) => `${show(i.path)}${i.alias ? " as " + i.alias : ""}`)).toEqual([
      'ref(rego, "v1")',
      'ref(data, "lib", "roles") as r',
      'ref(input, "user")',
      'ref(future, "keywords", "in")',
    ]);
  });

  it("keeps the file and positions on every node", () => {
    const m = mod("p := 1");
    const r = m.rules[0] as Rule;
    expect(r.loc).toMatchObject({ file: "t.rego", line: 3, col: 1, offset: 14 });
    expect(r.head.value?.loc).toMatchObject({ line: 3, col: 6 });
    expect(m.package.loc).toMatchObject({ line: 1, col: 1 });
  });
});

describe("rule heads", () => {
  it("reads complete rules with and without values", () => {
    const a = rule("allow if input.admin");
    expect(a.head).toMatchObject({ kind: "complete", name: "allow" });
    expect(a.head.value).toBeUndefined();
    expect(a.hasIf).toBe(true);
    expect(showBody(a.body)).toBe('ref(input, "admin")');
    const b = rule("limit := 10");
    expect(b.head).toMatchObject({ kind: "complete", assign: ":=" });
    expect(show(b.head.value!)).toBe("10");
    expect(b.body).toEqual([]);
  });

  it("reads default rules, including default functions", () => {
    const d = rule("default allow := false");
    expect(d.default).toBe(true);
    expect(show(d.head.value!)).toBe("false");
    const f = rule("default f(_) = 0");
    expect(f.head.kind).toBe("function");
    expect(f.head.args!.map(show)).toEqual(["$_0"]);
  });

  it("reads partial set rules with contains", () => {
    const r = rule('deny contains msg if {\n\tmsg := "no"\n}');
    expect(r.head).toMatchObject({ kind: "set", name: "deny" });
    expect(show(r.head.key!)).toBe("msg");
  });

  it("reads partial object rules and ref heads", () => {
    const o = rule("p[k] := v if {\n\tsome k, v in input.m\n}");
    expect(o.head.kind).toBe("object");
    expect(o.head.ref.map(show)).toEqual(["p", "k"]);
    const c = rule("a.b.c := 1");
    expect(c.head).toMatchObject({ kind: "complete", name: "a" });
    expect(c.head.ref.map(show)).toEqual(["a", '"b"', '"c"']);
    const s = rule('a.b[x] contains y if {\n\tx := "k"\n\ty := 1\n}');
    expect(s.head.kind).toBe("set");
    expect(s.head.ref.map(show)).toEqual(["a", '"b"', "x"]);
    const t = rule('q["lit"] := 2');
    expect(t.head.kind).toBe("complete");
  });

  it("reads functions with several bodies as separate rules", () => {
    const m = mod("f(x) := 1 if x > 0\nf(x) := 2 if x <= 0\nf(x, y) := x + y");
    expect(m.rules.map((r) => [r.head.kind, r.head.args!.length])).toEqual([
      ["function", 1],
      ["function", 1],
      ["function", 2],
    ]);
    expect(show(m.rules[2]!.head.value!)).toBe("plus(x, y)");
  });

  it("reads else chains in both spellings", () => {
    const r = rule(
      'g(x) := "a" if {\n\tx == 1\n} else := "b" if {\n\tx == 2\n} else = "c" {\n\ttrue\n} else := "d"',
    );
    expect(r.else.map((e) => [show(e.value!), e.assign, showBody(e.body)])).toEqual([
      ['"b"', ":=", "equal(x, 2)"],
      ['"c"', "=", "true"],
      ['"d"', ":=", ""],
    ]);
    const single = rule("h := 1 if input.a else := 2 if input.b");
    expect(single.else).toHaveLength(1);
    expect(showBody(single.else[0]!.body)).toBe('ref(input, "b")');
  });
});

describe("expressions", () => {
  it("applies OPA's operator precedence, all left-associative", () => {
    expect(body("x := 1 + 2 * 3 - 4 / 5 % 6")).toBe(
      "x := minus(plus(1, mul(2, 3)), rem(div(4, 5), 6))",
    );
    expect(body("a | b & c == d")).toBe("equal(or(a, and(b, c)), d)");
    expect(body("x in xs == true")).toBe("internal.member_2(x, equal(xs, true))");
    expect(body("a < b != c")).toBe("neq(lt(a, b), c)");
    expect(body("(1 + 2) * 3 >= 9")).toBe("gte(mul(plus(1, 2), 3), 9)");
    expect(body("a <= b; c > d; e >= f")).toBe("lte(a, b); gt(c, d); gte(e, f)");
  });

  it("marks operator calls as infix", () => {
    const r = rule("p if 1 == 1");
    const e = r.body[0]!.body;
    expect(e.kind === "term" && e.term.type === "call" && e.term.infix).toBe(true);
  });

  it("reads membership with one and two operands", () => {
    expect(body('"a" in input.roles')).toBe('internal.member_2("a", ref(input, "roles"))');
    expect(body('"k", 1 in {"k": 1}')).toBe('internal.member_3("k", 1, {"k": 1})');
    expect(body("x := k, v in o")).toBe("x := internal.member_3(k, v, o)");
    expect(body("f([a in b, c])")).toBe("f([internal.member_2(a, b), c])");
  });

  it("reads some, every, not and with", () => {
    expect(body("some x")).toBe("some x");
    expect(body("some x, y")).toBe("some x, y");
    expect(body("some x in xs")).toBe("some x in xs");
    expect(body("some k, v in input.m")).toBe('some k, v in ref(input, "m")');
    expect(body("every x in xs { x > 0 }")).toBe("every x in xs { gt(x, 0) }");
    expect(body("every k, v in o {\n\tk != v\n\tv\n}")).toBe("every k, v in o { neq(k, v); v }");
    expect(body("not deny")).toBe("not deny");
    expect(body("allow with input as {} with data.roles as r with time.now_ns as now")).toBe(
      'allow with input as {} with ref(data, "roles") as r with ref(time, "now_ns") as now',
    );
    expect(body("not f(1) with input.x as 1")).toBe('not f(1) with ref(input, "x") as 1');
  });

  it("distinguishes := from =", () => {
    expect(body("x := 1\n[a, b] = [1, 2]")).toBe("x := 1; [a, b] = [1, 2]");
  });

  it("reads refs with dots and brackets, and dotted calls", () => {
    expect(body('input.a[0]["b"][x]')).toBe('ref(input, "a", 0, "b", x)');
    expect(body("data.x[y].z")).toBe('ref(data, "x", y, "z")');
    expect(body('object.get(input, "k", {})')).toBe('object.get(input, "k", {})');
    expect(body("data.lib.f(x)")).toBe("data.lib.f(x)");
    expect(body("f(x)[0].y")).toBe('ref(f(x), 0, "y")');
    expect(body("[1, 2][0]")).toBe("ref([1, 2], 0)");
  });

  it("reads composite literals", () => {
    expect(body("x := {}")).toBe("x := {}");
    expect(body("x := set()")).toBe("x := set()");
    expect(body("x := {1, 2,}")).toBe("x := set(1, 2)");
    expect(body('x := {"a": 1, [1]: {2}, 3: null}')).toBe('x := {"a": 1, [1]: set(2), 3: null}');
    expect(body("x := [\n\t1,\n\t2,\n]")).toBe("x := [1, 2]");
    expect(body("x := []")).toBe("x := []");
  });

  it("reads comprehensions", () => {
    expect(body("x := [y | some y in ys; y > 1]")).toBe("x := [y | some y in ys; gt(y, 1)]");
    expect(body("x := {y | some y in ys}")).toBe("x := set(y | some y in ys)");
    expect(body("x := {k: v | some k, v in o\n\tv > 1}")).toBe(
      "x := {k: v | some k, v in o; gt(v, 1)}",
    );
    expect(body("x := [a | b]")).toBe("x := [a | b]");
    expect(body("x := [(a | b)]")).toBe("x := [or(a, b)]");
    expect(body("x := [a + 1 | b]")).toBe("x := [or(plus(a, 1), b)]");
  });

  it("reads scalars: strings, escapes, raw strings, numbers", () => {
    expect(body('x := "a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"')).toBe(
      `x := ${JSON.stringify('a"b\\c/d\b\f\n\r\t')}`,
    );
    expect(body('x := "\\u00e9\\ud83d\\ude00"')).toBe('x := "é😀"');
    expect(body("x := `a\\nb\n c`")).toBe('x := raw:"a\\\\nb\\n c"');
    expect(body("x := 123456789012345678901234567890")).toBe("x := 123456789012345678901234567890");
    expect(body("x := [1.5, 2e10, 3.25E-3, -7, - 8, 0]")).toBe(
      "x := [1.5, 2e10, 3.25E-3, -7, -8, 0]",
    );
    expect(body("x := 1 - -2")).toBe("x := minus(1, -2)");
    expect(body("x := -y")).toBe("x := minus(0, y)");
    expect(body("x := [true, false, null]")).toBe("x := [true, false, null]");
    const big = rule("p := 123456789012345678901234567890").head.value!;
    expect(big).toMatchObject({ type: "number", value: 1.2345678901234568e29 });
  });

  it("names wildcards uniquely per module", () => {
    const m = mod("p if input.a[_] == input.b[_]\nq if input.c[_]");
    expect(m.rules.map((r) => showBody(r.body))).toEqual([
      'equal(ref(input, "a", $_0), ref(input, "b", $_1))',
      'ref(input, "c", $_2)',
    ]);
  });

  it("separates expressions by newlines or semicolons, continuing lines after operators", () => {
    expect(body("a\nb; c")).toBe("a; b; c");
    expect(body("x := 1 +\n\t2")).toBe("x := plus(1, 2)");
    expect(body("x := f(\n\t1,\n\t2,\n)")).toBe("x := f(1, 2)");
  });

  it("starts a new expression at a line that begins with -", () => {
    expect(body("x := y\n-1 in xs")).toBe("x := y; internal.member_2(-1, xs)");
    expect(body("x := [\n\ty\n\t- 1,\n]")).toBe("x := [minus(y, 1)]");
  });

  it("needs refs and calls written without whitespace", () => {
    expect(() => mod("p := input.x [0]")).toThrow(/unexpected "\["/);
    expect(() => mod("p := count (x)")).toThrow(/unexpected "\("/);
  });

  it("accepts a byte-order mark and CRLF line endings", () => {
    const m = parseModule("\uFEFFpackage a\r\n\r\np := 1 # c\r\n", "f");
    expect(m.rules).toHaveLength(1);
    expect(m.comments.map((c) => c.text)).toEqual([" c"]);
  });

  it("keeps comments", () => {
    const m = mod("# lead\np := 1 # tail");
    expect(m.comments.map((c) => [c.text, c.loc.line, c.loc.col])).toEqual([
      [" lead", 3, 1],
      [" tail", 4, 8],
    ]);
  });

  it("counts columns in code points", () => {
    const r = rule('p := "😀😀" == x');
    const v = r.head.value!;
    expect(v.type === "call" && v.args[1]!.loc.col).toBe(14);
  });
});

describe("parseQuery", () => {
  it("reads expressions separated by semicolons or newlines", () => {
    expect(parseQuery("x := 1; x > 0\ndata.app.allow").map(showExpr)).toEqual([
      "x := 1",
      "gt(x, 0)",
      'ref(data, "app", "allow")',
    ]);
  });

  it("reports errors located in the query", () => {
    expect(() => parseQuery("x := ", "q")).toThrow(
      /q:1:6: rego_parse_error: unexpected end of file/,
    );
  });
});

describe("errors", () => {
  it("requires if and contains as Rego v1 does", () => {
    expect(parseError("package a\np { true }")).toBe(
      "2:3: `if` keyword is required before rule body",
    );
    expect(parseError("package a\np[x] { x := 1 }")).toMatch(
      /^2:6: `contains` keyword is required/,
    );
  });

  it("reports several errors, resynchronizing at the next rule", () => {
    expect(parseError("package a\np if { x := }\nq := 1\nr if { if := 1 }\n")).toBe(
      '2:13: unexpected "}", expected a term\n4:8: unexpected keyword "if", expected a term',
    );
  });

  it("bounds nesting depth with a located error", () => {
    const deep = "package a\np := " + "[".repeat(5000) + "]".repeat(5000);
    expect(parseError(deep)).toBe("2:1006: nesting too deep: more than 1000 levels");
    const parens = "package a\np := " + "(".repeat(3000) + "1" + ")".repeat(3000);
    expect(parseError(parens)).toMatch(/nesting too deep/);
    const compr = "package a\np := " + "[x | x := ".repeat(2000) + "1" + "]".repeat(2000);
    expect(parseError(compr)).toMatch(/nesting too deep/);
    const minus = "package a\np := " + "-".repeat(5000) + "x";
    expect(parseError(minus)).toMatch(/nesting too deep/);
  });

  it("bounds the depth of operator chains, which nest the tree but not the text", () => {
    const chain = (n: number): string => "package a\np := " + Array(n).fill("1").join(" + ");
    expect(parseError(chain(5000))).toBe(
      "2:6: expression too deeply nested: more than 1200 levels (split it into several rules or expressions)",
    );
    expect(parseModule(chain(1000), "f").rules).toHaveLength(1);
    expect(() => parseQuery(Array(3000).fill("x").join(" == "))).toThrow(/too deeply nested/);
  });

  it("parses 900 levels of nesting", () => {
    const ok = "package a\np := " + "[".repeat(900) + "]".repeat(900);
    expect(mod(ok.slice("package a\n".length)).rules).toHaveLength(1);
  });
});

describe("contains", () => {
  it("is the builtin when called in a term, and the keyword in a rule head", () => {
    const m = parseModule('package a\np contains x if x := contains("abc", "b")\n', "a.rego");
    const rule = m.rules[0]!;
    expect(rule.head.kind).toBe("set");
    const body = rule.body[0]!.body;
    expect(body.kind).toBe("assign");
    if (body.kind !== "assign") return;
    expect(body.rhs).toMatchObject({ type: "call", operator: ["contains"] });
  });
});
