import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";
import { checkSources, findRegoFiles } from "./check.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function check(...paths: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: ROOT };
  const code = await runCli(["check", ...paths], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("ccpol check", () => {
  it("walks directories for .rego files and reports success", async () => {
    const result = await check("test/check/valid");
    expect(result).toEqual({ code: 0, out: "2 files checked, no errors", err: "" });
  });

  it("reports every error with its source line and caret, exit code 1", async () => {
    const result = await check("test/check/invalid");
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    const headers = result.err.split("\n").filter((l) => l.startsWith("test/"));
    expect(headers).toEqual([
      "test/check/invalid/policy.rego:5:2: rego_compile_error: var role assigned above",
      "test/check/invalid/policy.rego:9:2: rego_type_error: count: arity mismatch: have 3 arguments, want 1 argument",
      "test/check/invalid/policy.rego:10:2: rego_type_error: undefined function undefined_thing",
      "test/check/invalid/policy.rego:13:1: rego_recursion_error: rule data.authz.loop is recursive: data.authz.loop -> data.authz.loop",
      "test/check/invalid/unsafe.rego:3:1: rego_unsafe_var_error: var x is unsafe",
    ]);
    expect(result.err).toContain("  result := x if {\n  ^");
    expect(result.err.endsWith("5 errors")).toBe(true);
  });

  it("reports parse errors", async () => {
    const result = await check("test/check/syntax/bad.rego");
    expect(result.code).toBe(1);
    expect(result.err).toContain("test/check/syntax/bad.rego:5:1: rego_parse_error:");
  });

  it("needs at least one path and an existing one", async () => {
    expect((await check()).code).toBe(2);
    const missing = await check("test/check/nope");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such file or directory: test/check/nope");
  });

  it("lists files in a stable order", () => {
    expect(findRegoFiles(["test/check/valid"], ROOT)).toEqual([
      "test/check/valid/authz.rego",
      "test/check/valid/lib/roles.rego",
    ]);
  });

  it("checks all sources together (cross-file references)", () => {
    const sources = [
      { file: "a.rego", text: "package a\nimport data.b\np if { b.q }" },
      { file: "b.rego", text: "package b\nq := true" },
    ];
    expect(checkSources(sources)).toEqual([]);
    expect(checkSources(sources.slice(0, 1))).toEqual([]);
    const withNope = [
      ...sources,
      { file: "c.rego", text: "package c\nimport data.b\nr if { b.nope }" },
    ];
    // Base data below package b: OPA cannot know it at compile time, nor can we.
    expect(checkSources(withNope)).toEqual([]);
    const withNoFunction = [
      ...sources,
      { file: "c.rego", text: "package c\nimport data.b\nr if { b.nope(1) }" },
    ];
    expect(checkSources(withNoFunction).map((d) => d.message)).toEqual([
      "undefined function data.b.nope",
    ]);
  });
});
