import { describe, expect, it } from "vitest";
import { runCli, helpText } from "./main.js";
import { commands } from "./commands/index.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: "." },
    out,
    err,
  };
}

describe("ccpol", () => {
  it("lists every registered subcommand in --help", async () => {
    const { io, out } = capture();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const c of commands) expect(out.join("\n")).toContain(c.name);
    expect(helpText()).toContain("Usage: ccpol <command>");
  });

  it("rejects an unknown subcommand with exit code 2", async () => {
    const { io, err } = capture();
    expect(await runCli(["frobnicate"], io)).toBe(2);
    expect(err.join("\n")).toContain("unknown command 'frobnicate'");
  });
});
