import { describe, expect, it } from "vitest";
import { findRegoTests, runRegoTests } from "./rego-tests.js";

const POLICY = {
  file: "policies/limits.rego",
  text: `package limits

max_roles := data.config.max_roles

too_many(n) if n > max_roles
`,
};

const TESTS = {
  file: "policies/limits_test.rego",
  text: `package limits_test

import data.limits

test_three_is_the_limit if limits.max_roles == 3

test_four_is_too_many if limits.too_many(4)

test_with_replaces_data if {
	limits.too_many(2) with data.config.max_roles as 1
}

test_wrong_expectation if limits.too_many(3)

test_conflict if conflicting == 1

conflicting := 1 if true
conflicting := 2 if true

helper_not_a_test := true
`,
};

describe("Rego unit tests", () => {
  it("are the test_* rules of *_test.rego files", () => {
    expect(findRegoTests([POLICY, TESTS]).map((t) => [t.name, t.line])).toEqual([
      ["data.limits_test.test_three_is_the_limit", 5],
      ["data.limits_test.test_four_is_too_many", 7],
      ["data.limits_test.test_with_replaces_data", 9],
      ["data.limits_test.test_wrong_expectation", 13],
      ["data.limits_test.test_conflict", 15],
    ]);
  });

  it("run on the compiled module: pass, fail (undefined) and error (with its location)", async () => {
    const results = await runRegoTests([POLICY, TESTS], { config: { max_roles: 3 } });
    const outcome = Object.fromEntries(
      results.map((r) => [r.name.split(".").at(-1), [r.outcome, r.message]]),
    );
    expect(outcome["test_three_is_the_limit"]).toEqual(["pass", undefined]);
    expect(outcome["test_four_is_too_many"]).toEqual(["pass", undefined]);
    expect(outcome["test_with_replaces_data"]).toEqual(["pass", undefined]);
    expect(outcome["test_wrong_expectation"]).toEqual(["fail", "undefined"]);
    expect(outcome["test_conflict"]![0]).toBe("error");
    expect(outcome["test_conflict"]![1]).toMatch(/limits_test\.rego:\d+:\d+: eval_conflict_error/);
  });
});
