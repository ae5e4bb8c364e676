// A rule-level summary of a Rego change: which rules were added, removed or changed, with
// the catalog IDs their METADATA traces them to. Rules are compared by their canonical
// formatting (comments and layout do not count as changes; METADATA does).
import type { Module, Rule } from "../rego/ast.js";
import { formatModule } from "../rego/format.js";
import { parseModule } from "../rego/parser.js";
import type { RegoSource } from "../rego/sources.js";

export type RuleChangeKind = "added" | "removed" | "changed";

export interface RuleChange {
  kind: RuleChangeKind;
  /** `data.<package>.<rule name>` */
  path: string;
  ruleIds: string[];
  /** Where the rule is in the version that has it (head for added/changed). */
  location: string;
}

interface RuleEntry {
  path: string;
  text: string;
  ruleIds: string[];
  location: string;
}

export function diffRules(base: readonly RegoSource[], head: readonly RegoSource[]): RuleChange[] {
  const before = groupByPath(base.flatMap(ruleEntries));
  const after = groupByPath(head.flatMap(ruleEntries));
  const changes: RuleChange[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    changes.push(...pairRules(before.get(path) ?? [], after.get(path) ?? []));
  }
  const order: Record<RuleChangeKind, number> = { added: 0, changed: 1, removed: 2 };
  return changes.sort((a, b) => order[a.kind] - order[b.kind] || a.path.localeCompare(b.path));
}

/**
 * Pairs the definitions of one path: identical texts are unchanged; the rest pair up by
 * their rule IDs (changed); what is left was added or removed.
 */
function pairRules(before: RuleEntry[], after: RuleEntry[]): RuleChange[] {
  const unmatched = [...after];
  const leftovers: RuleEntry[] = [];
  for (const b of before) {
    const same = unmatched.findIndex((a) => a.text === b.text);
    if (same >= 0) unmatched.splice(same, 1);
    else leftovers.push(b);
  }
  const changes: RuleChange[] = [];
  for (const b of leftovers) {
    const key = b.ruleIds.join(",");
    const partner = unmatched.findIndex((a) => a.ruleIds.join(",") === key);
    if (partner >= 0) {
      const [a] = unmatched.splice(partner, 1);
      changes.push(change("changed", a!));
    } else {
      changes.push(change("removed", b));
    }
  }
  for (const a of unmatched) changes.push(change("added", a));
  return changes;
}

function change(kind: RuleChangeKind, e: RuleEntry): RuleChange {
  return { kind, path: e.path, ruleIds: e.ruleIds, location: e.location };
}

function groupByPath(entries: RuleEntry[]): Map<string, RuleEntry[]> {
  const map = new Map<string, RuleEntry[]>();
  for (const e of entries) {
    const list = map.get(e.path);
    if (list === undefined) map.set(e.path, [e]);
    else list.push(e);
  }
  return map;
}

function ruleEntries(source: RegoSource): RuleEntry[] {
  const module = parseModule(source.text, source.file);
  return module.rules.map((rule) => ({
    path: ["data", ...module.package.path, rule.head.name].join("."),
    text: canonicalRuleText(module, rule),
    ruleIds: ruleIdsOf(rule),
    location: `${rule.loc.file}:${rule.loc.line}`,
  }));
}

function canonicalRuleText(module: Module, rule: Rule): string {
  const alone: Module = { ...module, imports: [], rules: [rule], annotations: [], comments: [] };
  return formatModule(alone).split("\n").slice(1).join("\n").trim();
}

export function ruleIdsOf(rule: Rule): string[] {
  const ids = new Set<string>();
  for (const a of rule.annotations) {
    const list = a.custom?.["rule_ids"];
    if (Array.isArray(list)) for (const id of list) if (typeof id === "string") ids.add(id);
  }
  return [...ids].sort();
}
