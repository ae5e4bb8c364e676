import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { UsageError, type Command } from "../command.js";
import { renderJSON, renderMarkdown } from "../../review/report.js";
import { reviewChange, reviewExitCode, type FailOn } from "../../review/review.js";
import { decisionTableRequests } from "../../harness/decision-tables.js";

const usage = `Usage: ccpol diff --base <git-rev> [--head <git-rev>] [--format markdown|json] [--fail-on widening|any|none] [-o FILE]

Builds the policies and data of both versions (head defaults to the working tree), decides
every tenant x user x action x resource of the data and every decision-table row on both,
and reports each decision that changed: widenings (deny -> allow, possible privilege
escalation) first, then narrowings, then reason changes; plus the rules added, removed
and changed with their catalog IDs.

  --fail-on widening   exit 1 when any decision widens (default)
  --fail-on any        exit 1 on any decision or rule change
  --fail-on none       always exit 0`;

export const diffCommand: Command = {
  name: "diff",
  summary: "decision diff between two versions of the policies (for pull requests)",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        base: { type: "string" },
        head: { type: "string" },
        format: { type: "string", default: "markdown" },
        "fail-on": { type: "string", default: "widening" },
        out: { type: "string", short: "o" },
      },
      strict: true,
    });
    if (values.base === undefined) throw new UsageError("--base is required");
    const format = values.format;
    if (format !== "markdown" && format !== "json")
      throw new UsageError(`unknown --format '${format}'`);
    const failOn = values["fail-on"] as FailOn;
    if (!["widening", "any", "none"].includes(failOn))
      throw new UsageError(`unknown --fail-on '${failOn}'`);
    const review = await reviewChange({
      repoRoot: io.cwd,
      base: values.base,
      head: values.head,
      extraRequests: (_version, root) => decisionTableRequests(root),
    });
    const text = format === "json" ? renderJSON(review) : renderMarkdown(review);
    if (values.out !== undefined) writeFileSync(values.out, text);
    else io.stdout(text);
    return reviewExitCode(review, failOn);
  },
};
