import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "ccpol-eval-"));
  mkdirSync(join(dir, "policies"));
  mkdirSync(join(dir, "data", "tenants", "t1"), { recursive: true });
  writeFileSync(
    join(dir, "policies", "cc.rego"),
    `package cc

allow if {
	input.action == "queue.monitor"
	data.tenants[input.tenant].plan == "large"
}

queues contains q if some q in input.queues
`,
  );
  writeFileSync(join(dir, "data", "tenants", "t1", "data.yaml"), "plan: small\n");
  writeFileSync(join(dir, "data", "limits.json"), '{"max": 3}');
  writeFileSync(
    join(dir, "input.json"),
    '{"action": "queue.read", "tenant": "t1", "queues": ["b", "a"]}',
  );
  return dir;
}

async function ccpol(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("ccpol eval", () => {
  it("prints results with expressions and bindings like opa eval", async () => {
    const dir = workspace();
    const r = await ccpol(
      ["eval", "-d", "policies", "-d", "data", "-i", "input.json", "x := data.cc.queues[_]"],
      dir,
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { result: { bindings: { x: string } }[] };
    expect(json.result.map((s) => s.bindings.x)).toEqual(["a", "b"]);
  });

  it("mounts data files at their directory path", async () => {
    const dir = workspace();
    const r = await ccpol(["eval", "-d", "data", "data.tenants.t1.plan"], dir);
    expect(JSON.parse(r.out)).toEqual({
      result: [
        {
          expressions: [
            { value: "small", text: "data.tenants.t1.plan", location: { row: 1, col: 1 } },
          ],
        },
      ],
    });
    const limits = await ccpol(["eval", "-d", "data", "data.max"], dir);
    expect(JSON.parse(limits.out).result[0].expressions[0].value).toBe(3);
  });

  it("prints {} for an undefined query and explains the failed condition", async () => {
    const dir = workspace();
    const r = await ccpol(
      [
        "eval",
        "-d",
        "policies",
        "-d",
        "data",
        "-i",
        "input.json",
        "--explain",
        "fails",
        "data.cc.allow",
      ],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'policies/cc.rego:4: input.action == "queue.monitor"  # evaluated to false (input.action = "queue.read")',
    );
    expect(r.out.trimEnd().endsWith("{}")).toBe(true);
  });

  it("rejects a bad --explain mode and a missing query as usage errors", async () => {
    const dir = workspace();
    expect((await ccpol(["eval", "--explain", "some", "x := 1"], dir)).code).toBe(2);
    expect((await ccpol(["eval", "-d", "policies"], dir)).code).toBe(2);
  });

  it("reports a strict builtin error with its location", async () => {
    const dir = workspace();
    const r = await ccpol(["eval", "--strict", 'x := 1 + "a"'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain("query:1:6: eval_type_error: plus: operand 2 must be number");
  });
});

describe("ccpol eval on the contact-center policies", () => {
  it("explains a denied request with the failed conditions and their locations", async () => {
    const repo = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), "ccpol-eval-cc-"));
    const request = join(dir, "request.json");
    writeFileSync(
      request,
      JSON.stringify({
        tenant: "acme",
        user: "gina",
        action: "queue.monitor",
        resource: { type: "queue", id: "sales" },
      }),
    );
    const r = await ccpol(
      [
        "eval",
        "-d",
        "policies",
        "--tenants",
        "data",
        "-i",
        request,
        "--explain",
        "fails",
        "data.ccpol.decision.decision",
      ],
      repo,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^ {2}policies\/[a-z_]+\.rego:\d+: .+ {2}# (evaluated to|undefined ref)/m,
    );
    const json = r.out.slice(r.out.indexOf("\n{") + 1);
    const decision = (
      JSON.parse(json) as { result: { expressions: { value: { allow: boolean } }[] }[] }
    ).result[0]!.expressions[0]!.value;
    expect(decision.allow).toBe(false);
  });
});
