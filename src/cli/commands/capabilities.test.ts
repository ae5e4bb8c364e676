import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";
import { NATIVE_BUILTINS } from "../../wasm/runtime/builtins.js";

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["capabilities", ...args], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface Caps {
  builtins: { name: string; ccpol_wasm: string; decl: { type: string } }[];
  features: string[];
  wasm_abi_versions: unknown[];
}

describe("ccpol capabilities", () => {
  it("prints OPA's capabilities JSON with native and host builtins", async () => {
    const { code, out } = await run([], process.cwd());
    expect(code).toBe(0);
    const caps = JSON.parse(out) as Caps;
    expect(caps.wasm_abi_versions).toEqual([{ version: 1, minor_version: 2 }]);
    const byName = new Map(caps.builtins.map((b) => [b.name, b]));
    for (const name of NATIVE_BUILTINS.keys())
      expect(byName.get(name)?.ccpol_wasm, name).toBe("native");
    expect(byName.get("io.jwt.verify_rs256")?.ccpol_wasm).toBe("host");
    expect(caps.builtins.every((b) => b.decl.type === "function")).toBe(true);
  });

  it("writes the document to --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccpol-caps-"));
    const { code, out } = await run(["--out", "caps.json"], dir);
    expect(code).toBe(0);
    expect(out).toBe("wrote caps.json");
    const caps = JSON.parse(readFileSync(join(dir, "caps.json"), "utf8")) as Caps;
    expect(caps.builtins.length).toBeGreaterThan(150);
  });

  it("rejects unknown options with usage", async () => {
    const { code, err } = await run(["--bogus"], process.cwd());
    expect(code).toBe(2);
    expect(err).toContain("Usage: ccpol capabilities");
  });
});
