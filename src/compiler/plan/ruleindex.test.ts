import { describe, expect, it } from "vitest";
import { compileModules } from "../resolve.js";
import { findRuleIndex, inputPath, stringPath } from "./ruleindex.js";
import { RegoSet, type Value } from "../../value/value.js";
import type { Term } from "../../rego/ast.js";

function rulesOf(text: string, group = "t.allow") {
  const program = compileModules([{ file: "t.rego", text }]);
  return program.groups.get(group)!.rules;
}

describe("findRuleIndex", () => {
  it("indexes the input path most bodies compare with a constant, either side", () => {
    const index = findRuleIndex(
      rulesOf(`package t
allow if { input.action == "a"; input.user == "u" }
allow if { "b" == input.action }
allow if input.user == "v"
`),
    );
    expect(index?.path).toEqual(["action"]);
    expect(index?.bodies.map((b) => [b.rule, b.expr, b.keys])).toEqual([
      [0, 0, ["a"]],
      [1, 0, ["b"]],
    ]);
  });

  it("indexes small constant sets tested with `in`", () => {
    const index = findRuleIndex(
      rulesOf(`package t
allow if input.action in {"a", "b"}
allow if input.action == "c"
`),
    );
    expect(index?.bodies.map((b) => b.keys)).toEqual([["a", "b"], ["c"]]);
  });

  it("indexes `in` over a rule folded to a small constant set, given its value", () => {
    const rules = rulesOf(`package t
allowed := {"a", "b"}
many := {"1", "2", "3", "4", "5", "6", "7", "8", "9"}
allow if input.action in allowed
allow if input.action in many
allow if input.action == "c"
`);
    const constants = new Map<string, Value>([
      ["t.allowed", RegoSet.of(["a", "b"])],
      ["t.many", RegoSet.of(["1", "2", "3", "4", "5", "6", "7", "8", "9"])],
    ]);
    const constantOf = (t: Term): Value | undefined => {
      const path = stringPath(t, "data");
      return path === undefined ? undefined : constants.get(path.join("."));
    };
    expect(findRuleIndex(rules, constantOf)?.bodies.map((b) => [b.rule, b.keys])).toEqual([
      [0, ["a", "b"]],
      [2, ["c"]],
    ]);
    // Without the constants (under `with`, say) only the literal test counts: no index.
    expect(findRuleIndex(rules)).toBeUndefined();
  });

  it("ignores negated tests, tests under with, rules with else, and lone bodies", () => {
    expect(
      findRuleIndex(
        rulesOf(`package t
allow if not input.action == "a"
allow if input.action == "b"
`),
      ),
    ).toBeUndefined();
    expect(
      findRuleIndex(
        rulesOf(`package t
allow := 1 if input.action == "a"
else := 2 if input.action == "b"
allow := 1 if input.action == "c"
`),
      ),
    ).toBeUndefined();
  });

  it("reads only constant input paths", () => {
    const loc = { file: "f", line: 1, col: 1, offset: 0, end: 0 };
    const ref = (segs: Term[]): Term => ({
      type: "ref",
      head: { type: "var", name: "input", loc },
      path: segs,
      loc,
    });
    expect(inputPath(ref([{ type: "string", value: "a", loc }]))).toEqual(["a"]);
    expect(inputPath(ref([{ type: "var", name: "x", loc }]))).toBeUndefined();
    expect(inputPath(ref([]))).toBeUndefined();
  });
});
