import { beforeAll, describe, expect, it } from "vitest";
import { compilePolicy } from "../wasm/compile.js";
import { createAuthorizer, HOST_REASONS, type Authorizer } from "./authorizer.js";

// A small decision policy with the same contract as the contact-center one.
const POLICY = `package ccpol.decision

default allow := false

allow if data.tenants[input.tenant].users[input.user].role == "admin"

reasons := ["GA-1"] if allow
reasons := ["X-1"] if not allow

decision := {"allow": allow, "reasons": reasons}

boom := x if {
	x := 1
	input.action == "explode"
}

boom := x if {
	x := 2
	input.action == "explode"
}

decision := {"allow": true, "reasons": ["X-9"]} if boom
`;

const data = (role: string) => ({ tenants: { t1: { users: { u1: { role } } } } });

describe("authorizer", () => {
  let authorizer: Authorizer;
  beforeAll(async () => {
    const { wasm } = await compilePolicy({
      sources: [{ file: "decision.rego", text: POLICY }],
      entrypoints: ["ccpol/decision/decision"],
    });
    const sources = [{ file: "decision.rego", text: POLICY }];
    authorizer = await createAuthorizer({ bundle: { wasm, sources }, data: data("admin") });
  });

  it("answers from the compiled module", () => {
    expect(authorizer.authorize({ tenant: "t1", user: "u1", action: "a" })).toEqual({
      allow: true,
      reasons: ["GA-1"],
    });
    expect(authorizer.authorize({ tenant: "t1", user: "nobody", action: "a" })).toEqual({
      allow: false,
      reasons: ["X-1"],
    });
  });

  it("fails closed on an invalid request, naming the problem", () => {
    const d = authorizer.authorize({ tenant: "t1", user: "u1" });
    expect(d.allow).toBe(false);
    expect(d.reasons).toEqual(["X-1", HOST_REASONS.invalidRequest]);
    expect(d.error).toContain("action");
    expect(authorizer.authorize({ tenant: "t1", user: "u1", action: "a", extra: 1 }).allow).toBe(
      false,
    );
    expect(authorizer.authorize("not an object").allow).toBe(false);
  });

  it("fails closed on an evaluation error, with its Rego location", () => {
    const d = authorizer.authorize({ tenant: "t1", user: "u1", action: "explode" });
    expect(d.allow).toBe(false);
    expect(d.reasons).toEqual(["X-1", HOST_REASONS.evaluationError]);
    expect(d.error).toMatch(/decision\.rego:\d+:\d+: eval_conflict_error/);
  });

  it("reloads data without recompiling, and the cache follows the data", () => {
    const request = { tenant: "t1", user: "u1", action: "a" };
    expect(authorizer.authorize(request).allow).toBe(true);
    authorizer.reloadData(data("agent"));
    expect(authorizer.authorize(request).allow).toBe(false);
    authorizer.reloadData(data("admin"));
    expect(authorizer.authorize(request).allow).toBe(true);
  });

  it("decides many requests in order", () => {
    const many = authorizer.authorizeMany([
      { tenant: "t1", user: "u1", action: "a" },
      { tenant: "t1", user: "u2", action: "a" },
    ]);
    expect(many.map((d) => d.allow)).toEqual([true, false]);
  });

  it("does not let a cached decision answer a request validation would reject", () => {
    const good = { tenant: "t1", user: "u1", action: "a" };
    expect(authorizer.authorize(good).allow).toBe(true);
    expect(authorizer.authorize({ ...good, tenant: undefined }).allow).toBe(false);
    expect(authorizer.authorize({ ...good, resource: { type: "queue" } }).allow).toBe(false);
  });

  it("explains a denial with the failed condition and its location, deciding on Wasm", () => {
    const d = authorizer.authorize({ tenant: "t1", user: "u9", action: "a" }, { explain: true });
    expect(d.allow).toBe(false);
    expect(d.reasons).toEqual(["X-1"]);
    const failed = d.explanation.failed.find((f) => f.rule === "data.ccpol.decision.allow");
    expect(failed?.location).toMatch(/^decision\.rego:5:\d+$/);
    expect(failed?.condition).toContain(
      'data.tenants[input.tenant].users[input.user].role == "admin"',
    );
  });
});
