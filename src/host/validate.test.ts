import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CUSTOM_ROLE_PERMISSIONS,
  SETTING_DEFAULTS,
  decisionErrors,
  decisionRequestErrors,
  excessiveFlowNesting,
  isDecision,
  isDecisionRequest,
  validateTenantFile,
} from "./validate.js";

const commonRego = readFileSync("policies/common.rego", "utf8");

/** The body of `name := { ... }` in common.rego (top-level braces only). */
function regoObject(name: string): string {
  const start = commonRego.indexOf(`${name} := {`);
  expect(start, `${name} in policies/common.rego`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = commonRego.indexOf("{", start); i < commonRego.length; i++) {
    if (commonRego[i] === "{") depth++;
    if (commonRego[i] === "}" && --depth === 0) return commonRego.slice(start, i + 1);
  }
  throw new Error(`unterminated ${name}`);
}

describe("TypeScript mirrors of the policy's tables", () => {
  it("CUSTOM_ROLE_PERMISSIONS equals custom_role_permissions in common.rego", () => {
    const pairs = [
      ...regoObject("custom_role_permissions").matchAll(/"([a-z_.]+)": "([A-Z]+-\d)"/g),
    ];
    expect(Object.fromEntries(pairs.map((m) => [m[1], m[2]]))).toEqual(CUSTOM_ROLE_PERMISSIONS);
  });

  it("SETTING_DEFAULTS equals default_settings in common.rego", () => {
    const body = regoObject("default_settings")
      .replace(/^default_settings := /, "")
      .replace(/,(\s*})/g, "$1");
    expect(JSON.parse(body)).toEqual(SETTING_DEFAULTS);
  });
});

describe("decision request schema", () => {
  it("accepts the documented shapes", () => {
    expect(isDecisionRequest({ tenant: "acme", user: "ada", action: "billing.manage" })).toBe(true);
    expect(
      isDecisionRequest({
        tenant: "acme",
        user: "alan",
        action: "role.assign",
        resource: { type: "user", id: "gina", role: "kb_editor" },
      }),
    ).toBe(true);
    // Unknown actions are valid requests: the policy denies them with X-1.
    expect(isDecisionRequest({ tenant: "acme", user: "ada", action: "coffee.make" })).toBe(true);
  });

  it("rejects typos and missing fields", () => {
    expect(decisionRequestErrors({ tenant: "acme", user: "ada", acton: "x" })).toEqual([
      "/ must have required property 'action'",
      "/ must NOT have additional properties",
    ]);
    expect(
      decisionRequestErrors({
        tenant: "acme",
        user: "ada",
        action: "queue.monitor",
        resource: { type: "queues", id: "sales" },
      }),
    ).toEqual(["/resource/type must be equal to one of the allowed values"]);
  });

  it("counts lengths in code points, as JSON Schema does, also for characters beyond the BMP", () => {
    const request = (user: string) => ({ tenant: "acme", user, action: "queue.monitor" });
    // 64 code points, 128 UTF-16 units: within maxLength 64.
    expect(decisionRequestErrors(request("😀".repeat(64)))).toEqual([]);
    expect(decisionRequestErrors(request("😀".repeat(65)))).toEqual([
      "/user must NOT have more than 64 characters",
    ]);
    expect(decisionRequestErrors(request("a".repeat(65)))).toEqual([
      "/user must NOT have more than 64 characters",
    ]);
    expect(decisionRequestErrors(request(""))).toEqual([
      "/user must NOT have fewer than 1 characters",
    ]);
  });
});

describe("decision schema", () => {
  it("accepts reasons that are rule IDs, optionally qualified", () => {
    expect(isDecision({ allow: false, reasons: ["X-3", "X-3:unknown-queue"] })).toBe(true);
    expect(isDecision({ allow: true, reasons: ["GS-1", "SUP-2"] })).toBe(true);
  });

  it("rejects free text and duplicates", () => {
    expect(decisionErrors({ allow: true, reasons: ["because"] })).toHaveLength(1);
    expect(decisionErrors({ allow: true, reasons: ["GS-1", "GS-1"] })).toHaveLength(1);
    expect(decisionErrors({ allow: "yes", reasons: [] })).toHaveLength(1);
  });
});

describe("validateTenantFile", () => {
  const ok = "tenant: t1\nplan: large\nusers:\n  ann: { role: agent }\n";

  it("returns the tenant of a valid file and the position of its ID", () => {
    const result = validateTenantFile({ path: "t1.yaml", text: ok });
    expect(result.diagnostics).toEqual([]);
    expect(result.tenant?.users["ann"]?.role).toBe("agent");
    expect(result.idPosition).toEqual({ file: "t1.yaml", line: 1, col: 9 });
  });

  it("reports every problem of a file, in source order", () => {
    const text =
      "tenant: t1\nplan: small\ncustom_roles:\n  r1: { name: R, permissions: [kb.fly] }\n" +
      "users:\n  ann: { role: nobody }\n";
    const messages = validateTenantFile({ path: "t.yaml", text }).diagnostics.map(
      (d) => `${d.loc.line}:${d.loc.col} ${d.message.split(":")[0]}`,
    );
    expect(messages).toEqual([
      "3:1 custom_roles",
      "4:32 custom_roles.r1.permissions",
      "6:16 users.ann.role",
    ]);
  });

  it("accepts a custom role as a user's role", () => {
    const text = `${ok.replace("agent", "helper")}custom_roles:\n  helper: { name: H, permissions: [kb.manage] }\n`;
    expect(validateTenantFile({ path: "t.yaml", text }).diagnostics).toEqual([]);
  });
});

describe("excessiveFlowNesting", () => {
  it("ignores brackets inside quotes and comments", () => {
    const deep = "[".repeat(100);
    expect(excessiveFlowNesting(`a: "${deep}"\nb: '${deep}'\n# ${deep}\n`)).toBe(-1);
    expect(excessiveFlowNesting(`a: ${deep}`)).toBe(3 + 64);
  });
});
