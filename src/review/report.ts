// Renders a review as Markdown for a pull-request comment (summary on top, long details
// collapsed) or as JSON for tools.
import { groupChanges, type ChangeGroup, type DecisionChange } from "./decision-diff.js";
import type { Review } from "./review.js";

// A pull-request comment has a size limit; longer groups end with a count.
const DETAILS_PER_GROUP = 100;

export function renderJSON(review: Review): string {
  const { base, head, decisions, changes, rules } = review;
  const count = (kind: DecisionChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  return JSON.stringify(
    {
      base,
      head,
      decisions,
      summary: {
        widenings: count("widening"),
        narrowings: count("narrowing"),
        reasonChanges: count("reasons"),
        rulesAdded: rules.filter((r) => r.kind === "added").length,
        rulesRemoved: rules.filter((r) => r.kind === "removed").length,
        rulesChanged: rules.filter((r) => r.kind === "changed").length,
      },
      groups: groupChanges(changes).map((g) => ({
        kind: g.kind,
        action: g.action,
        ruleIds: g.ruleIds,
        count: g.changes.length,
        requests: g.changes.map((c) => ({ request: c.request, base: c.base, head: c.head })),
      })),
      rules,
    },
    null,
    2,
  );
}

export function renderMarkdown(review: Review): string {
  const groups = groupChanges(review.changes);
  const widenings = groups.filter((g) => g.kind === "widening");
  const narrowings = groups.filter((g) => g.kind === "narrowing");
  const reasons = groups.filter((g) => g.kind === "reasons");
  const total = (gs: ChangeGroup[]) => gs.reduce((n, g) => n + g.changes.length, 0);
  const out: string[] = [];
  out.push(`## Policy decision diff: \`${review.base}\` → \`${review.head}\``, "");
  if (review.changes.length === 0 && review.rules.length === 0) {
    out.push(`No decision changed across ${review.decisions} decisions, and no rule changed.`);
    return out.join("\n") + "\n";
  }
  out.push("| | count |", "|---|---:|");
  out.push(`| decisions evaluated on both versions | ${review.decisions} |`);
  out.push(
    `| ${widenings.length > 0 ? "⚠️ " : ""}widenings (deny → allow) | ${total(widenings)} |`,
  );
  out.push(`| narrowings (allow → deny) | ${total(narrowings)} |`);
  out.push(`| same outcome, other reasons | ${total(reasons)} |`);
  for (const kind of ["added", "changed", "removed"] as const) {
    out.push(`| rules ${kind} | ${review.rules.filter((r) => r.kind === kind).length} |`);
  }
  out.push("");
  if (widenings.length > 0) {
    out.push("### ⚠️ Widenings — possible privilege escalation", "");
    out.push(...groupSection(widenings));
  }
  if (narrowings.length > 0) {
    out.push("### Narrowings", "");
    out.push(...groupSection(narrowings));
  }
  if (reasons.length > 0) {
    out.push("### Same outcome, different reasons", "");
    out.push(...groupSection(reasons));
  }
  if (review.rules.length > 0) {
    out.push("### Rules", "", "| change | rule | catalog IDs | where |", "|---|---|---|---|");
    for (const r of review.rules) {
      out.push(`| ${r.kind} | \`${r.path}\` | ${r.ruleIds.join(", ") || "—"} | ${r.location} |`);
    }
    out.push("");
  }
  return out.join("\n") + "\n";
}

function groupSection(groups: ChangeGroup[]): string[] {
  const out = ["| action | rule IDs | decisions | examples |", "|---|---|---:|---|"];
  for (const g of groups) {
    const examples = g.changes
      .slice(0, 2)
      .map((c) => `\`${c.id}\``)
      .join("<br>");
    out.push(
      `| \`${g.action}\` | ${g.ruleIds.join(", ") || "—"} | ${g.changes.length} | ${examples} |`,
    );
  }
  out.push("", "<details><summary>Every changed decision</summary>", "");
  for (const g of groups) {
    out.push(`**${g.action}** (${g.ruleIds.join(", ") || "no rule"}):`, "");
    const shown = g.changes.slice(0, DETAILS_PER_GROUP);
    for (const c of shown) {
      out.push(`- \`${c.id}\`: ${describe(c.base)} → ${describe(c.head)}`);
    }
    if (g.changes.length > shown.length)
      out.push(`- … and ${g.changes.length - shown.length} more`);
    out.push("");
  }
  out.push("</details>", "");
  return out;
}

function describe(d: { allow: boolean; reasons: string[] }): string {
  return `${d.allow ? "allow" : "deny"} (${d.reasons.join(", ")})`;
}
