import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packBundle, writeBundle } from "../wasm/bundle.js";
import { compilePolicy } from "../wasm/compile.js";
import { createAuthorizer } from "./authorizer.js";
import { loadBundle } from "./bundle.js";

const SOURCE = {
  file: "policies/decision.rego",
  text: `package ccpol.decision

default allow := false

allow if data.tenants[input.tenant].users[input.user].role == "admin"

decision := {"allow": allow, "reasons": ["GA-1"]} if allow
decision := {"allow": false, "reasons": ["X-1"]} if not allow
`,
};
const DATA = { tenants: { t1: { users: { u1: { role: "admin" }, u2: { role: "agent" } } } } };

describe("bundles in the host", () => {
  it("load module, data and sources from one bundle.tar.gz, and decide and explain from it", async () => {
    const { wasm, entrypoints } = await compilePolicy({
      sources: [SOURCE],
      entrypoints: ["ccpol/decision/decision"],
    });
    const path = join(mkdtempSync(join(tmpdir(), "ccpol-bundle-")), "bundle.tar.gz");
    await writeBundle(path, { wasm, entrypoints, data: DATA, sources: [SOURCE], revision: "r1" });

    const bundle = await loadBundle(path);
    expect(bundle.revision).toBe("r1");
    expect(bundle.entrypoints).toEqual(["ccpol/decision/decision"]);
    expect(bundle.sources).toEqual([SOURCE]);
    const authorizer = await createAuthorizer({ bundle, data: {} });
    expect(authorizer.authorize({ tenant: "t1", user: "u1", action: "a" })).toEqual({
      allow: true,
      reasons: ["GA-1"],
    });
    const denied = authorizer.authorize(
      { tenant: "t1", user: "u2", action: "a" },
      { explain: true },
    );
    expect(denied.allow).toBe(false);
    expect(denied.explanation.failed[0]?.location).toMatch(/^policies\/decision\.rego:5:/);
  });

  it("keep source paths inside the bundle", async () => {
    const bytes = await packBundle({
      wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]),
      entrypoints: [],
      sources: [{ file: "../../etc/evil.rego", text: "package evil\n" }],
    });
    const bundle = await loadBundle(bytes);
    expect(bundle.sources.map((s) => s.file)).toEqual(["etc/evil.rego"]);
  });
});
