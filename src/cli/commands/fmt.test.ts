import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../main.js";

const UGLY = "package a\nimport rego.v1\nimport data.b\np = 1\nq if { input.x; input.y }\n";
const PRETTY =
  "package a\n\nimport data.b\nimport rego.v1\n\np := 1\n\nq if {\n\tinput.x\n\tinput.y\n}\n";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ccpol-fmt-"));
  mkdirSync(join(dir, "pol", "sub"), { recursive: true });
  writeFileSync(join(dir, "pol", "ugly.rego"), UGLY);
  writeFileSync(join(dir, "pol", "sub", "pretty.rego"), PRETTY);
  writeFileSync(join(dir, "pol", "notes.txt"), "not rego");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function fmt(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: dir };
  const code = await runCli(["fmt", ...args], io);
  return { code, out, err: err.join("\n") };
}

describe("ccpol fmt", () => {
  it("prints the formatted text", async () => {
    const r = await fmt("pol/ugly.rego");
    expect(r).toEqual({ code: 0, out: [PRETTY], err: "" });
  });

  it("--check lists the files that would change and exits 1", async () => {
    const r = await fmt("--check", "pol");
    expect(r).toEqual({ code: 1, out: [join("pol", "ugly.rego")], err: "" });
    expect((await fmt("--check", "pol/sub")).code).toBe(0);
  });

  it("--write rewrites files in place; a second check passes", async () => {
    const r = await fmt("--write", "pol");
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`formatted ${join("pol", "ugly.rego")}`]);
    expect(readFileSync(join(dir, "pol", "ugly.rego"), "utf8")).toBe(PRETTY);
    expect((await fmt("--check", "pol")).code).toBe(0);
  });

  it("reports parse errors with location and caret, exit code 1", async () => {
    writeFileSync(join(dir, "pol", "bad.rego"), "package a\np { true }\n");
    const r = await fmt("--check", "pol/bad.rego");
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "pol/bad.rego:2:3: rego_parse_error: `if` keyword is required before rule body\n  p { true }\n    ^",
    );
  });

  it("rejects bad usage with exit code 2", async () => {
    expect((await fmt()).code).toBe(2);
    expect((await fmt("--check", "--write", "pol")).code).toBe(2);
    expect((await fmt("nope.rego")).code).toBe(2);
  });
});
