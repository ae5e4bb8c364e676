import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { runCli } from "../main.js";
import { readBundle } from "../../wasm/bundle.js";

// The SDK's ESM entry lacks loadPolicySync and typed defaults; its CommonJS entry has both.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "ccpol-build-"));
  mkdirSync(join(dir, "policies"));
  writeFileSync(
    join(dir, "policies", "p.rego"),
    `package app

# METADATA
# entrypoint: true
allow if data.roles[input.user] == "admin"
`,
  );
  writeFileSync(join(dir, "policies", "p_test.rego"), `package app\ntest_x if true\n`);
  writeFileSync(join(dir, "roles.yaml"), `roles:\n  alice: admin\n  bob: agent\n`);
  return dir;
}

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("ccpol build", () => {
  it("writes policy.wasm and an OPA bundle with the data", async () => {
    const dir = workspace();
    const r = await cli(
      ["build", "-d", "roles.yaml", "--revision", "v1", "policies", "-o", "out"],
      dir,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("entrypoints: app/allow");
    const wasm = readFileSync(join(dir, "out", "policy.wasm"));
    const bundle = await readBundle(join(dir, "out", "bundle.tar.gz"));
    expect(Buffer.from(bundle.wasm)).toEqual(wasm);
    expect(bundle.manifest).toMatchObject({
      revision: "v1",
      wasm: [{ entrypoint: "app/allow", module: "/policy.wasm" }],
    });
    const policy = await opa.loadPolicy(bundle.wasm);
    policy.setData(bundle.data);
    expect(policy.evaluate({ user: "alice" })).toEqual([{ result: true }]);
    expect(policy.evaluate({ user: "bob" })).toEqual([]);
  });

  it("embeds the data in policy.wasm with --embed-data", async () => {
    const dir = workspace();
    const r = await cli(["build", "--embed-data", "-d", "roles.yaml", "policies"], dir);
    expect(r.code).toBe(0);
    const policy = await opa.loadPolicy(readFileSync(join(dir, "build", "policy.wasm")));
    expect(policy.evaluate({ user: "alice" })).toEqual([{ result: true }]);
  });

  it("reports compile errors with their location and exit code 1", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "policies", "bad.rego"), `package app\nq if x\n`);
    const r = await cli(["build", "policies", "-o", "out"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.rego:2:\d+: rego_unsafe_var_error/);
  });

  it("needs policy paths", async () => {
    const r = await cli(["build"], workspace());
    expect(r.code).toBe(2);
  });
});
