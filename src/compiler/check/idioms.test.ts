import { describe, expect, it } from "vitest";
import { parseModule } from "../../rego/parser.js";
import { buildProgram } from "../resolve.js";
import { checkProgram } from "./index.js";
import { formatDiagnosticHeader } from "../../diagnostics/diagnostic.js";
import { errorsOf, resolvedOf, showBody } from "../test-helpers.js";

// Everyday Rego that OPA accepts: the checks must not reject any of it.
const IDIOMS = `package idioms
import data.lib.helpers
r1 if { x := input.a; y := x.b[_]; y }
r2 if { some i; input.xs[i] == 1 }
r3 if { count({x | x := input.xs[_]}) > 0 }
r4 := {k: v | some k; v := input.o[k]}
r5 if { [a, b] := split(input.s, ":"); a != b }
r6 := object.get(input, "k", "d")
r7 if { startswith(input.path, "/api") }
r8 if { input.roles[_] == "admin" }
r9 if { role := input.roles[_]; data.perms[role][_] == input.action }
r10 if { not input.x in {"a", "b"} }
r11 if { every role in input.roles { role != "banned" } }
r12 if { some role in input.roles; role in {"a"} }
f(x) := y if { y := x * 2 }
r13 := "a" if { input.x } else := "b" if { input.y } else := "c"
r14 if { walk(input, [p, v]); count(p) > 1; v }
r15 := sprintf("%s", [input.x])
r16 if { x := {"a": 1}[k]; k; x }
r17 if { y := [1, 2, 3][_]; y > 1 }
r18 if { z := r4[i]; i; z }
r19 if { input.user == data.tenants[input.tenant].owner }
r20 if { some k, v in {"a": 1}; k; v }
r21 := object.keys(input.o)
r22 if { count(input.xs) == count([x | some x in input.xs; x > 1]) }
r23 if { not f(input.x) }
r24 if { numbers.range(1, 3)[_] == 2 }
r25 if { v := input.m[k]; k != "x"; v }
r26 if { print("x", input.y) }
r27 if { {"a": a, "b": b} := input.o; a == b }
r28[input.x] := 1
r29 contains name if { some u in input.users; name := u.name }
r30 := helpers.g(1)
r31 if { x := input.x; x in r21 }
r32 if { some i, j; input.a[i][j] }
r33 := [x | x := input.a[_]; not x in r21]
r34 if { ys := {y | some y in input.ys}; every y in ys { y > 0 } }
r35 if { [_, second] := input.pair; second }
r36 := {x: count(vs) | some x, vs in input.groups}
r37 if { input.x == r37_helper }
r37_helper := 1
r38 if { some x in input.xs; x.kind == "a"; some y in x.children; y.ok }
r39 := max([n | some n in input.ns])
r40 if { time.now_ns() > 0 }
r41 if { regex.match("^a", input.s) }
r42 := concat(",", [s | some s in input.ss])
r43 if { x := trim_space(input.s); x != "" }
r44 if { input.a == 1 } 
r45 := n if { n := count([1 | input.xs[_] > 0]) }
`;

const LIB = "package lib.helpers\ng(x) := x";

describe("common Rego idioms", () => {
  it("pass every check", () => {
    expect(
      errorsOf([
        ["idioms.rego", IDIOMS],
        ["lib.rego", LIB],
      ]),
    ).toEqual([]);
  });

  it("stay valid when the built (reordered) program is checked again", () => {
    const program = buildProgram([
      parseModule(IDIOMS, "idioms.rego"),
      parseModule(LIB, "lib.rego"),
    ]);
    expect(checkProgram(program)).toEqual([]);
  });

  it("checkProgram reports on a resolved program without reordering it", () => {
    const program = resolvedOf("package a\np if { y = x + 1; x = input.n; y > 2 }\nq if { z }");
    const diagnostics = checkProgram(program).map(formatDiagnosticHeader);
    expect(diagnostics).toEqual(["a.rego:3:8: rego_unsafe_var_error: var z is unsafe"]);
    expect(showBody(program.modules[0]!.rules[0]!.body)).toBe(
      "y = plus(x, 1); x = input.n; gt(y, 2)",
    );
  });
});
