import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readSimpleYaml } from "./annotations.js";
import { parseModule } from "./parser.js";
import { rng } from "../../test/support/random.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The YAML lines of every METADATA block in the text (one leading space removed). */
function metadataBlocks(text: string): string[][] {
  const blocks: string[][] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "# METADATA") continue;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith("#"); j++) {
      const t = lines[j]!.slice(1);
      block.push(t.startsWith(" ") ? t.slice(1) : t);
    }
    blocks.push(block);
  }
  return blocks;
}

/** The fast reader either declines or agrees exactly with the YAML parser. */
function expectAgreement(lines: string[]): void {
  const fast = readSimpleYaml(lines);
  if (fast === undefined) return;
  let expected: unknown;
  try {
    expected = parse(lines.join("\n"), { uniqueKeys: true }) ?? {};
  } catch (err) {
    throw new Error(`fast reader accepted invalid YAML: ${JSON.stringify(lines)}`, { cause: err });
  }
  expect({ lines, value: fast }).toEqual({ lines, value: expected });
}

describe("simple METADATA reader", () => {
  it("agrees with the YAML parser on every block of the policies", () => {
    const files = readdirSync(join(ROOT, "policies")).filter((f) => f.endsWith(".rego"));
    let accepted = 0;
    for (const f of files) {
      for (const block of metadataBlocks(readFileSync(join(ROOT, "policies", f), "utf8"))) {
        expectAgreement(block);
        if (readSimpleYaml(block) !== undefined) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it("reads the common shapes", () => {
    expect(
      readSimpleYaml([
        "title: GG-1 handle callers (X-4), whatever the role.",
        "entrypoint: true",
        "custom:",
        "  rule_ids: [GG-1, X-4]",
        "  source: seed",
        "  empty: []",
        "related:",
      ]),
    ).toEqual({
      title: "GG-1 handle callers (X-4), whatever the role.",
      entrypoint: true,
      custom: { rule_ids: ["GG-1", "X-4"], source: "seed", empty: [] },
      related: null,
    });
  });

  it("leaves everything else to the YAML parser", () => {
    for (const lines of [
      ["title: a: b"],
      ["title: 'quoted'"],
      ['title: "quoted"'],
      ["title: 12"],
      ["title: x # comment"],
      ["description: >-", "  folded"],
      ["a: &x y", "b: *x"],
      ["title: a", "title: b"],
      ["custom:", "  a:", "    b: c"],
      ["custom:", "  a: b", "   c: d"],
      ["- a"],
      ["title: [1, 2]"],
      ["title: [a, [b]]"],
      ["title:  two spaces"],
      ["---"],
      [""],
      ["\ttitle: x"],
      ["__proto__: x"],
    ]) {
      expect(readSimpleYaml(lines), JSON.stringify(lines)).toBeUndefined();
    }
  });

  it("agrees with the YAML parser on 3,000 random blocks", () => {
    const r = rng(99);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const words = [
      "a",
      "GG-1",
      "x.y",
      "true",
      "False",
      "null",
      "NULL",
      "on",
      "no",
      "tenant's",
      "(X-4)",
    ];
    const seps = [" ", ", ", "; ", " - ", "/", "", "  ", ": ", " #", "!", "?"];
    const value = (): string => {
      if (r() < 0.3) {
        return `[${Array.from({ length: Math.floor(r() * 4) }, () => pick(words)).join(pick([", ", ","]))}]`;
      }
      let v = pick(words);
      for (let i = Math.floor(r() * 4); i > 0; i--) v += pick(seps) + pick(words);
      return v + (r() < 0.1 ? " " : "");
    };
    for (let n = 0; n < 3000; n++) {
      const lines: string[] = [];
      for (let i = Math.floor(r() * 4); i >= 0; i--) {
        const key = pick(["title", "description", "custom", "entrypoint", "scope", "x-y"]);
        if (r() < 0.3) {
          lines.push(`${key}:`);
          const indent = pick(["  ", "    ", " "]);
          for (let j = Math.floor(r() * 3); j > 0; j--)
            lines.push(`${indent}${pick(["rule_ids", "source", "k"])}: ${value()}`);
        } else {
          lines.push(`${key}: ${value()}`);
        }
      }
      expectAgreement(lines);
    }
  });
});

describe("annotations", () => {
  const src = [
    "# METADATA",
    "# title: The package",
    "# scope: subpackages",
    "package a",
    "",
    "# METADATA",
    "# title: Allow",
    "# entrypoint: true",
    "# custom:",
    "#   rule_ids: [R-1, R-2]",
    "allow if input.ok",
    "",
    "# METADATA",
    "# scope: document",
    "# description: >-",
    "#   Folded",
    "#   text.",
    "deny contains 1 if input.bad",
    "",
    "# an ordinary comment",
    "other := 1",
  ].join("\n");

  it("attaches blocks to the package, rules and documents", () => {
    const m = parseModule(src, "a.rego");
    expect(m.annotations.map((a) => [a.scope, a.title ?? a.description])).toEqual([
      ["subpackages", "The package"],
      ["document", "Folded text."],
    ]);
    const [allow, deny, other] = m.rules;
    expect(allow!.annotations).toEqual([
      {
        scope: "rule",
        title: "Allow",
        entrypoint: true,
        custom: { rule_ids: ["R-1", "R-2"] },
        raw: { title: "Allow", entrypoint: true, custom: { rule_ids: ["R-1", "R-2"] } },
        loc: { file: "a.rego", line: 6, col: 1, offset: 64, end: 143 },
      },
    ]);
    expect(deny!.annotations.map((a) => a.scope)).toEqual(["document"]);
    expect(other!.annotations).toEqual([]);
  });

  it("ignores METADATA comments inside rule bodies", () => {
    const m = parseModule("package a\np if {\n\t# METADATA\n\t# title: x\n\ttrue\n}\n", "a.rego");
    expect(m.rules[0]!.annotations).toEqual([]);
  });

  it("gives each module its own copy of cached annotation values", () => {
    const text = "package a\n# METADATA\n# custom:\n#   rule_ids: [A]\np := 1\n";
    const first = parseModule(text, "a.rego").rules[0]!.annotations[0]!;
    (first.custom!["rule_ids"] as string[]).push("changed");
    const second = parseModule(text, "a.rego").rules[0]!.annotations[0]!;
    expect(second.custom).toEqual({ rule_ids: ["A"] });
  });
});
