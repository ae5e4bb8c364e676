import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";
import { parseResource } from "./decide.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: "." };
  return { io, out, err };
}

describe("ccpol decide", () => {
  it("prints an allowed decision with its rule IDs and exits 0", async () => {
    const { io, out } = capture();
    const code = await runCli(
      [
        "decide",
        "--tenant",
        "acme",
        "--user",
        "sam",
        "--action",
        "queue.monitor",
        "--resource",
        "queue:sales",
      ],
      io,
    );
    expect(out.join("\n")).toBe("ALLOW  GS-1");
    expect(code).toBe(0);
  });

  it("exits 3 on a denial and explains it with locations", async () => {
    const { io, out } = capture();
    const code = await runCli(
      [
        "decide",
        "--tenant",
        "acme",
        "--user",
        "gina",
        "--action",
        "queue.monitor",
        "--resource",
        "queue:sales",
        "--explain",
      ],
      io,
    );
    expect(code).toBe(3);
    const text = out.join("\n");
    expect(text).toMatch(/^DENY {2}GS-1, X-4/);
    expect(text).toMatch(/policies\/supervisor\.rego:\d+:\d+: .*is_supervisor/);
  });

  it("parses resources and rejects malformed ones", () => {
    expect(parseResource("queue:q1")).toEqual({ type: "queue", id: "q1" });
    expect(parseResource("user:u7:supervisor")).toEqual({
      type: "user",
      id: "u7",
      role: "supervisor",
    });
    expect(() => parseResource("queue")).toThrow(/type:id/);
    expect(() => parseResource("printer:p1")).toThrow(/unknown resource type 'printer'/);
  });

  it("needs tenant, user and action", async () => {
    const { io, err } = capture();
    expect(await runCli(["decide", "--tenant", "acme"], io)).toBe(2);
    expect(err.join("\n")).toContain("--tenant, --user and --action are required");
  });
});
