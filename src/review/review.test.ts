// The decision diff on four kinds of change to the real policies and sample data, each in
// a throwaway git repository: a widening, a narrowing, a refactor that changes no decision
// and a data-only change.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionTableRequests } from "../harness/decision-tables.js";
import { groupChanges } from "./decision-diff.js";
import { renderJSON, renderMarkdown } from "./report.js";
import { reviewChange, reviewExitCode, type Review } from "./review.js";

const BILLING_RULE = 'input.action == "billing.manage"\n\tcommon.is_owner\n';

let repo: string;

function git(...args: string[]): void {
  execFileSync("git", args, { cwd: repo, stdio: "pipe" });
}

function edit(file: string, from: string, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

async function reviewWorkTree(): Promise<Review> {
  return reviewChange({
    repoRoot: repo,
    base: "HEAD",
    extraRequests: (_v, root) => decisionTableRequests(root),
  });
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "ccpol-review-test-"));
  for (const dir of ["policies", "data", "test/decisions"])
    cpSync(dir, join(repo, dir), { recursive: true });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("ccpol diff", () => {
  it("marks a widening as possible privilege escalation, by action and rule ID", async () => {
    edit(
      "policies/predefined_roles.rego",
      BILLING_RULE,
      'input.action == "billing.manage"\n\tcommon.role in {"owner", "admin"}\n',
    );
    const review = await reviewWorkTree();
    git("checkout", "-q", "--", ".");
    expect(review.decisions).toBeGreaterThan(1000);
    const groups = groupChanges(review.changes);
    expect(groups.map((g) => [g.kind, g.action, g.ruleIds])).toEqual([
      ["widening", "billing.manage", ["LR-3"]],
    ]);
    expect(groups[0]!.changes.every((c) => !c.base.allow && c.head.allow)).toBe(true);
    expect(review.rules).toEqual([
      expect.objectContaining({
        kind: "changed",
        path: "data.ccpol.predefined_roles.grants",
        ruleIds: ["LR-3"],
      }),
    ]);
    expect(reviewExitCode(review, "widening")).toBe(1);
    expect(reviewExitCode(review, "none")).toBe(0);
    const md = renderMarkdown(review);
    expect(md).toContain("Widenings — possible privilege escalation");
    expect(md).toContain("| `billing.manage` | LR-3 |");
  });

  it("reports a narrowing, and it does not fail the widening policy", async () => {
    edit(
      "policies/predefined_roles.rego",
      BILLING_RULE,
      `${BILLING_RULE}\tinput.tenant != "acme"\n`,
    );
    const review = await reviewWorkTree();
    git("checkout", "-q", "--", ".");
    const groups = groupChanges(review.changes);
    expect(groups.map((g) => [g.kind, g.action, g.ruleIds])).toEqual([
      ["narrowing", "billing.manage", ["LR-3"]],
    ]);
    expect(groups[0]!.changes.map((c) => c.request.tenant)).toEqual(
      groups[0]!.changes.map(() => "acme"),
    );
    expect(reviewExitCode(review, "widening")).toBe(0);
    expect(reviewExitCode(review, "any")).toBe(1);
  });

  it("finds no decision change in a refactor, while listing the rewritten rule", async () => {
    edit(
      "policies/predefined_roles.rego",
      BILLING_RULE,
      '# Owners only.\n\tcommon.role == "owner"\n\tinput.action == "billing.manage"\n',
    );
    const review = await reviewWorkTree();
    git("checkout", "-q", "--", ".");
    expect(review.changes).toEqual([]);
    expect(review.rules.map((r) => [r.kind, r.ruleIds])).toEqual([["changed", ["LR-3"]]]);
    expect(reviewExitCode(review, "widening")).toBe(0);
    expect(JSON.parse(renderJSON(review)).summary).toMatchObject({
      widenings: 0,
      narrowings: 0,
      rulesChanged: 1,
    });
  });

  it("reviews a data-only change: decisions move, rules do not", async () => {
    edit("data/acme.yaml", "manage_recorded_messages: true", "manage_recorded_messages: false");
    const review = await reviewWorkTree();
    git("checkout", "-q", "--", ".");
    expect(review.rules).toEqual([]);
    const groups = groupChanges(review.changes);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(g.kind).toBe("narrowing");
      expect(g.action).toBe("recorded_messages.manage");
    }
    expect(new Set(review.changes.map((c) => c.request.tenant))).toEqual(new Set(["acme"]));
  });

  it("reports an empty diff as such", async () => {
    const review = await reviewWorkTree();
    expect(review.changes).toEqual([]);
    expect(review.rules).toEqual([]);
    expect(renderMarkdown(review)).toContain("No decision changed");
  });
});
