import { describe, expect, it } from "vitest";
import { parseQuery } from "../rego/parser.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { RegoSet, toJSON, type Value } from "../value/value.js";
import { evaluatorForSources } from "./support.js";
import { StepLimitError, toValue, type Evaluator } from "./evaluator.js";

/** Modules are separated by lines of `---`. */
function compile(text: string, data: unknown = {}, strict = false): Evaluator {
  const sources = text
    .split(/^---$/m)
    .map((t, i) => ({ file: i === 0 ? "t.rego" : `t${i}.rego`, text: t }));
  return evaluatorForSources(sources, { data, strict });
}

/** `data.<path>` as JSON, or undefined. */
function run(text: string, path: string, input?: unknown, data: unknown = {}): unknown {
  const v = compile(text, data).evalRef(path.split("."), input as Value);
  return v === undefined ? undefined : toJSON(v);
}

function evalError(fn: () => unknown): { code: string; message: string; line: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DiagnosticError) {
      const d = err.diagnostics[0]!;
      return { code: d.code, message: d.message, line: d.loc.line };
    }
    throw err;
  }
  throw new Error("expected an evaluation error");
}

describe("rules", () => {
  it("evaluates defaults and else chains in order", () => {
    const src = `package t
default level := "none"
level := "admin" if input.role == "admin"
grade := "a" if input.n > 90
else := "b" if input.n > 50
else := "c"
`;
    expect(run(src, "t.level", { role: "x" })).toBe("none");
    expect(run(src, "t.level", { role: "admin" })).toBe("admin");
    expect(run(src, "t.grade", { n: 95 })).toBe("a");
    expect(run(src, "t.grade", { n: 60 })).toBe("b");
    expect(run(src, "t.grade", { n: 1 })).toBe("c");
  });

  it("reports conflicting complete rules with the rule location", () => {
    const src = `package t
p := 1 if input.a
p := 2 if input.b
`;
    expect(run(src, "t.p", { a: true })).toBe(1);
    const err = evalError(() => run(src, "t.p", { a: true, b: true }));
    expect(err.code).toBe("eval_conflict_error");
    expect(err.message).toBe("complete rules must not produce multiple outputs");
    expect(err.line).toBe(3);
  });

  it("builds partial sets and objects, empty ones being defined", () => {
    const src = `package t
s contains x if some x in input.xs
o[k] := count(v) if some k, v in input.m
`;
    expect(run(src, "t.s", { xs: [3, 1, 3] })).toEqual([1, 3]);
    expect(run(src, "t.s", { xs: [] })).toEqual([]);
    expect(run(src, "t.o", { m: { a: [1], b: [1, 2] } })).toEqual({ a: 1, b: 2 });
    expect(run(src, "t.o", { m: {} })).toEqual({});
  });

  it("raises object key conflicts for partial objects and comprehensions", () => {
    const src = `package t
o[k] := v if { some v in input.vs; k := "same" }
c := {k: v | some v in input.vs; k := "same"}
`;
    expect(evalError(() => run(src, "t.o", { vs: [1, 2] })).message).toBe(
      "object keys must be unique",
    );
    expect(evalError(() => run(src, "t.c", { vs: [1, 2] })).code).toBe("eval_conflict_error");
    expect(run(src, "t.o", { vs: [1, 1] })).toEqual({ same: 1 });
  });

  it("evaluates functions with several bodies that must agree", () => {
    const src = `package t
f(x) := "small" if x < 10
f(x) := "even" if x % 2 == 0
g([a, b]) := a + b
r1 := f(3)
r2 := f(20)
r3 := f(4)
r4 := g([1, 2])
`;
    expect(run(src, "t.r1")).toBe("small");
    expect(run(src, "t.r2")).toBe("even");
    expect(run(src, "t.r4")).toBe(3);
    const err = evalError(() => run(src, "t.r3"));
    expect(err.code).toBe("eval_conflict_error");
    expect(err.message).toBe("functions must not produce multiple outputs for same inputs");
  });

  it("merges virtual documents with base data, iterating both", () => {
    const src = `package t
a := 1
b := 2 if false
c := "virtual"
---
package u
names := [k | data.t[k]]
`;
    const data = { t: { base: "x", c: "base" }, other: 1 };
    expect(run(src, "u.names", undefined, data)).toEqual(["a", "base", "c"]);
    expect(run(src, "t", undefined, data)).toEqual({ a: 1, base: "x", c: "virtual" });
  });
});

describe("expressions", () => {
  it("unifies arrays and objects in both directions", () => {
    const src = `package t
p := [a, b] if [a, 1] = [2, b]
q := v if { {"k": v} = input.o }
r := x if { [x, "y"] = input.pair }
`;
    expect(run(src, "t.p")).toEqual([2, 1]);
    expect(run(src, "t.q", { o: { k: 5 } })).toBe(5);
    expect(run(src, "t.q", { o: { k: 5, j: 1 } })).toBeUndefined();
    expect(run(src, "t.r", { pair: [7, "y"] })).toBe(7);
    expect(run(src, "t.r", { pair: [7, "z"] })).toBeUndefined();
  });

  it("evaluates every, negation, in and some", () => {
    const src = `package t
all_pos if every x in input.xs { x > 0 }
none_neg if not neg
neg if { some x in input.xs; x < 0 }
has2 := 2 in input.xs
pairs := [[k, v] | some k, v in input.o]
`;
    expect(run(src, "t.all_pos", { xs: [1, 2] })).toBe(true);
    expect(run(src, "t.all_pos", { xs: [1, -2] })).toBeUndefined();
    expect(run(src, "t.all_pos", { xs: [] })).toBe(true);
    expect(run(src, "t.none_neg", { xs: [1] })).toBe(true);
    expect(run(src, "t.none_neg", { xs: [-1] })).toBeUndefined();
    expect(run(src, "t.has2", { xs: [1] })).toBe(false);
    expect(run(src, "t.pairs", { o: { b: 2, a: 1 } })).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("treats refs to undefined input as undefined", () => {
    const src = `package t
p if input.x == 1
q := 1 if not input.x
`;
    expect(run(src, "t.p")).toBeUndefined();
    expect(run(src, "t.q")).toBe(1);
  });

  it("makes builtin errors undefined unless strict", () => {
    const src = `package t
p := x if x := input.a + 1
q := 1 if { x := input.a + 1 }
`;
    expect(run(src, "t.p", { a: "s" })).toBeUndefined();
    const strict = compile(src, {}, true);
    const err = evalError(() => strict.evalRef(["t", "p"], toValueInput({ a: "s" })));
    expect(err.code).toBe("eval_type_error");
    expect(err.message).toContain("plus: operand 1 must be number");
    expect(err.line).toBe(2);
  });
});

function toValueInput(x: unknown): Value {
  return x as Value;
}

describe("with", () => {
  const src = `package t
p := input.x
q := y if { y := p with input.x as 2 }
both := [p, q]
base := data.cfg.limit
lim := v if { v := base with data.cfg.limit as 9 }
over := v if { v := p with data.t.p as "mocked" }
f(x) := x + 1
g := v if { v := f(1) with data.t.f as 10 }
h := v if { v := count([1, 2]) with count as 7 }
j := v if { v := f(1) with data.t.f as double }
double(x) := x * 2
`;
  it("replaces input and invalidates memoized rules", () => {
    expect(run(src, "t.both", { x: 1 })).toEqual([1, 2]);
  });
  it("replaces base data and virtual documents", () => {
    expect(run(src, "t.lim", undefined, { cfg: { limit: 3 } })).toBe(9);
    expect(run(src, "t.base", undefined, { cfg: { limit: 3 } })).toBe(3);
    expect(run(src, "t.over", { x: 1 })).toBe("mocked");
  });
  it("replaces functions and builtins", () => {
    expect(run(src, "t.g")).toBe(10);
    expect(run(src, "t.h")).toBe(7);
    expect(run(src, "t.j")).toBe(2);
  });
});

describe("queries", () => {
  it("returns bindings per solution", () => {
    const ev = compile(`package t
s contains x if some x in ["b", "a"]
`);
    const rows = ev.evalQuery(parseQuery('x := data.t.s[_]; x != "c"'));
    expect(rows).toEqual([{ x: "a" }, { x: "b" }]);
    const results = ev.queryResults(parseQuery("data.t.s"));
    expect(results[0]!.expressions[0]!.value).toEqual(RegoSet.of(["a", "b"]));
    expect(results[0]!.expressions[0]!.text).toBe("data.t.s");
  });
});

describe("performance", () => {
  it("memoizes complete rules referenced in a loop", () => {
    const src = `package t
big contains x if some x in numbers.range(1, 2000)
hits := count([x | some x in numbers.range(1, 2000); big[x]])
`;
    const ev = compile(src);
    const start = performance.now();
    expect(ev.evalRef(["t", "hits"])).toBe(2000);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("builtins in the evaluator", () => {
  it("iterates relational builtins and prints through the print hook", () => {
    const lines: string[] = [];
    const ev = evaluatorForSources(
      [
        {
          file: "t.rego",
          text: `package t
paths := [p | walk(input, [p, v]); is_number(v)]
said if print("n =", input.n, input.missing)
`,
        },
      ],
      { print: (l) => lines.push(l) },
    );
    const input = toValue({ a: [1, { b: 2 }], n: "x" });
    expect(toJSON(ev.evalRef(["t", "paths"], input)!)).toEqual([
      ["a", 0],
      ["a", 1, "b"],
    ]);
    expect(ev.evalRef(["t", "said"], input)).toBe(true);
    expect(lines).toEqual(["n = x <undefined>"]);
  });

  it("records trace notes in traced evaluations", () => {
    const ev = compile(`package t
p if trace("checking p")
`);
    const { value, trace } = ev.evalRef(["t", "p"], undefined, { trace: true });
    expect(value).toBe(true);
    expect(trace).toContainEqual(expect.objectContaining({ op: "note", text: "checking p" }));
  });

  it("reports unsafe query variables", () => {
    const ev = compile("package t\n");
    expect(evalError(() => ev.evalQuery(parseQuery("x == 1"))).code).toBe("rego_unsafe_var_error");
  });
});

describe("step budget", () => {
  it("stops an evaluation that takes more expression evaluations than allowed", () => {
    const src = "package a\nn := count([x | some x in numbers.range(1, 500); x > 0])\n";
    const tight = evaluatorForSources([{ file: "a.rego", text: src }], { maxSteps: 100 });
    expect(() => tight.evalRef(["a", "n"])).toThrow(StepLimitError);
    const roomy = evaluatorForSources([{ file: "a.rego", text: src }], { maxSteps: 5_000 });
    expect(roomy.evalRef(["a", "n"])).toBe(500);
    // The budget is per evaluation, not per evaluator.
    expect(roomy.evalRef(["a", "n"])).toBe(500);
  });
});
