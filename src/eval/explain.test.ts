import { describe, expect, it } from "vitest";
import { toValue } from "./evaluator.js";
import { explainDecision } from "./explain.js";
import { evaluatorForSources } from "./support.js";
import { renderTrace } from "./trace.js";

const POLICY = `package cc

# METADATA
# custom:
#   rule_ids: [Q-1]
allow if {
	input.action == "queue.monitor"
	data.tenants[input.tenant].plan == "large"
}

# METADATA
# custom:
#   rule_ids: [Q-2]
allow if {
	input.action == "queue.read"
	not blocked
}

blocked if input.user == "mallory"
`;

const DATA = { tenants: { t1: { plan: "small" } } };

function evaluator() {
  return evaluatorForSources([{ file: "cc.rego", text: POLICY }], { data: DATA });
}

describe("explainDecision", () => {
  it("names the failed conditions with their location and operand values", () => {
    const input = toValue({ action: "queue.monitor", tenant: "t9", user: "bob" });
    const ex = explainDecision(evaluator(), ["cc", "allow"], input);
    expect(ex.value).toBeUndefined();
    expect(ex.ruleIds).toEqual([]);
    expect(ex.failed).toContainEqual({
      rule: "data.cc.allow",
      text: 'data.tenants[input.tenant].plan == "large"',
      location: { file: "cc.rego", line: 8, col: 2 },
      reason: "undefined ref data.tenants.t9",
    });
    expect(ex.failed).toContainEqual({
      rule: "data.cc.allow",
      text: 'input.action == "queue.read"',
      location: { file: "cc.rego", line: 15, col: 2 },
      reason: 'evaluated to false (input.action = "queue.monitor")',
    });
  });

  it("reports the rule IDs of the rules whose body succeeded", () => {
    const input = toValue({ action: "queue.read", tenant: "t1", user: "bob" });
    const ex = explainDecision(evaluator(), ["cc", "allow"], input);
    expect(ex.value).toBe(true);
    expect(ex.ruleIds).toEqual(["Q-2"]);
    // `blocked` was tried and failed: its condition is reported; the negation itself held.
    expect(ex.failed.map((f) => f.rule)).toContain("data.cc.blocked");
  });
});

describe("renderTrace", () => {
  const input = toValue({ action: "queue.monitor", tenant: "t1", user: "bob" });

  it("fails mode lists only failed expressions under their rule", () => {
    const { trace } = evaluator().evalRef(["cc", "allow"], input, { trace: true });
    const text = renderTrace(trace, "fails");
    expect(text).toContain("data.cc.allow:");
    expect(text).toContain(
      'cc.rego:8: data.tenants[input.tenant].plan == "large"  # evaluated to false (data.tenants[input.tenant].plan = "small")',
    );
    expect(text).not.toContain("Eval");
  });

  it("full mode shows enter, eval, fail and exit steps indented by depth", () => {
    const { trace } = evaluator().evalRef(["cc", "allow"], input, { trace: true });
    const lines = renderTrace(trace, "full").split("\n");
    expect(lines[0]).toMatch(/^query:1\s+Enter data\.cc\.allow$/);
    expect(lines).toContainEqual(expect.stringMatching(/^cc\.rego:6\s+\| Enter data\.cc\.allow$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^cc\.rego:7\s+\| \| Eval input\.action == "queue\.monitor"$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^cc\.rego:15\s+\| \| Fail /));
    expect(lines[lines.length - 1]).toMatch(/^query:1\s+Exit data\.cc\.allow$/);
  });
});

describe("default rules", () => {
  it("count as fired when their value is used", () => {
    const ev = evaluatorForSources([
      {
        file: "d.rego",
        text: `package d

# METADATA
# custom:
#   rule_ids: [X-1]
default allow := false

# METADATA
# custom:
#   rule_ids: [A-1]
allow if input.ok
`,
      },
    ]);
    expect(explainDecision(ev, ["d", "allow"], toValue({ ok: false })).ruleIds).toEqual(["X-1"]);
    expect(explainDecision(ev, ["d", "allow"], toValue({ ok: true })).ruleIds).toEqual(["A-1"]);
  });
});

describe("failure reasons", () => {
  it("say when a referenced rule is undefined, and why that rule failed", () => {
    const ev = evaluatorForSources([
      {
        file: "r.rego",
        text: `package r

allow if {
	licensed
}

licensed if input.user.license == true
`,
      },
    ]);
    const ex = explainDecision(ev, ["r", "allow"], { user: { license: false } });
    expect(ex.failed).toEqual([
      {
        rule: "data.r.licensed",
        text: "input.user.license == true",
        location: { file: "r.rego", line: 7, col: 13 },
        reason: "evaluated to false (input.user.license = false)",
      },
      {
        rule: "data.r.allow",
        text: "licensed",
        location: { file: "r.rego", line: 4, col: 2 },
        reason: "rule data.r.licensed is undefined",
      },
    ]);
  });
});
