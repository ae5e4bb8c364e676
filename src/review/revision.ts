// A version of the policy repository to review: a git revision (read with `git archive`,
// never touching the work tree) or the work tree itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folders a decision depends on. */
export const REVIEWED_PATHS = ["policies", "data", "test/decisions"] as const;

export interface Checkout {
  /** The git revision, or "working tree". */
  label: string;
  /** Root directory holding policies/, data/, test/decisions/. */
  root: string;
  /** Removes the temporary copy (no-op for the work tree). */
  dispose(): void;
}

export function workTree(root: string): Checkout {
  return { label: "working tree", root, dispose: () => undefined };
}

/** Extracts the reviewed folders of `rev` into a temporary directory. */
export function checkoutRevision(repoRoot: string, rev: string): Checkout {
  const git = (args: string[], input?: Buffer) =>
    execFileSync("git", args, {
      cwd: repoRoot,
      input,
      maxBuffer: 1 << 30,
      stdio: ["pipe", "pipe", "pipe"],
    });
  let commit: string;
  try {
    commit = git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new Error(`unknown git revision '${rev}'`);
  }
  const present = REVIEWED_PATHS.filter((p) => {
    try {
      git(["cat-file", "-e", `${commit}:${p}`]);
      return true;
    } catch {
      return false;
    }
  });
  const dir = mkdtempSync(join(tmpdir(), "ccpol-review-"));
  if (present.length > 0) {
    const archive = git(["archive", "--format=tar", commit, "--", ...present]);
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
  }
  return { label: rev, root: dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
