import { describe, expect, it } from "vitest";
import { compileModules } from "./resolve.js";
import { constantGroups } from "./fold.js";

const IMPURE = new Set(["time.now_ns", "print"]);

function constants(...modules: string[]): string[] {
  const program = compileModules(modules.map((text, i) => ({ file: `m${i}.rego`, text })));
  return constantGroups(program, (name) => !IMPURE.has(name)).sort();
}

describe("constantGroups", () => {
  it("finds rules that read neither input nor base data, through other rules", () => {
    expect(
      constants(`package a
table := {"x": 1, "y": 2}
doubled := {k: d | some k, v in table; d := v * 2}
names contains k if some k, _ in doubled
picked := doubled[input.key]
tenant := data.tenants[input.tenant]
base := data.config.limit
`),
    ).toEqual(["a.doubled", "a.names", "a.table"]);
  });

  it("taints a rule through a dependency declared after it", () => {
    expect(
      constants(
        `package a\nfirst := data.b.second\nalso contains x if x := data.b.second[_]\n`,
        `package b\nsecond[input.k] := 1\n`,
      ),
    ).toEqual([]);
  });

  it("follows calls: pure functions keep callers constant, impure ones do not", () => {
    expect(
      constants(`package a
twice(x) := x * 2
stamp(x) := [x, time.now_ns()]
uses_input(x) := x + input.n
four := twice(2)
stamped := stamp(1)
mixed := uses_input(1)
`),
    ).toEqual(["a.four"]);
  });

  it("treats namespaces, side effects and with as not constant", () => {
    expect(
      constants(
        `package a
whole := data.b
rule := data.b.r
shown if print("x")
replaced := x if x := data.b.r with data.b.r as 2
`,
        `package b
r := 1
`,
      ),
    ).toEqual(["a.rule", "b.r"]);
  });

  it("sees input in heads, else values and nested bodies", () => {
    expect(
      constants(`package a
p[input.k] := 1
q := 1 if false else := input.v
r := [x | some x in [1, 2]; every y in [input.z] { y > x }]
s := count([1, 2])
`),
    ).toEqual(["a.s"]);
  });

  it("walks long dependency chains without recursion, and taints a whole chain", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      i === 0 ? "r0 := 1" : `r${i} := r${i - 1} + 1`,
    );
    const found = constants(`package a\n${chain.join("\n")}\n`);
    expect(found.length).toBe(20_000);
    const reversed = [...chain].reverse().join("\n").replace("r0 := 1", "r0 := input.n");
    expect(constants(`package a\n${reversed}\n`)).toEqual([]);
    const tainted = constants(
      `package a\n${chain.join("\n").replace("r0 := 1", "r0 := input.n")}\n`,
    );
    expect(tainted).toEqual([]);
  });
});
