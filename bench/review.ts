// Times `ccpol diff` on the sample policies and data: two versions (a one-line policy
// change) compiled and decided over the whole decision space, in a throwaway repository.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decisionTableRequests } from "../src/harness/decision-tables.js";
import { reviewChange } from "../src/review/review.js";

export interface ReviewBenchResult {
  decisions: number;
  changes: number;
  ms: number;
}

export async function benchReview(): Promise<ReviewBenchResult> {
  const repo = mkdtempSync(join(tmpdir(), "ccpol-review-bench-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  try {
    for (const dir of ["policies", "data", "test/decisions"])
      cpSync(dir, join(repo, dir), { recursive: true });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "base");
    const file = join(repo, "data", "acme.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "manage_recorded_messages: true",
        "manage_recorded_messages: false",
      ),
    );
    const review = await reviewChange({
      repoRoot: repo,
      base: "HEAD",
      extraRequests: (_v, root) => decisionTableRequests(root),
    });
    return { decisions: review.decisions, changes: review.changes.length, ms: review.elapsedMs };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

export function formatReview(r: ReviewBenchResult): string {
  return [
    "## Decision diff (`ccpol diff`) on the sample data",
    "",
    "| decisions per version | changed | time (two compiles included) | target |",
    "|---:|---:|---:|---:|",
    `| ${r.decisions} | ${r.changes} | ${(r.ms / 1000).toFixed(2)} s | < 5 s |`,
    "",
  ].join("\n");
}
