import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatModule, formatSource } from "./format.js";
import { parseModule } from "./parser.js";
import { normalizeModule } from "../../test/parse/ast-helpers.js";
import { generateModule } from "../../test/parse/generate.js";

const ROOT = join(import.meta.dirname, "..", "..");

function regoFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return entries.filter((f) => f.endsWith(".rego")).map((f) => join(dir, f));
}

function parses(file: string): boolean {
  try {
    parseModule(readFileSync(join(ROOT, file), "utf8"), file);
    return true;
  } catch {
    return false;
  }
}

// Every policy must parse; test folders also hold deliberately broken files, skipped here.
const FIXTURES = [...regoFiles("policies"), ...regoFiles("test").filter(parses)].sort();

/** Asserts both formatter properties for one source text. */
function checkRoundTrip(text: string, file: string): void {
  const original = parseModule(text, file);
  const once = formatModule(original, text);
  const reparsed = parseModule(once, file);
  expect(normalizeModule(reparsed)).toEqual(normalizeModule(original));
  expect(formatSource(once, file)).toBe(once);
}

describe("formatter properties", () => {
  it("has .rego fixtures to check", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of FIXTURES) {
    it(`is idempotent and meaning-preserving on ${file}`, () => {
      checkRoundTrip(readFileSync(join(ROOT, file), "utf8"), file);
    });
  }

  it("is idempotent and meaning-preserving on 300 generated modules", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = generateModule(seed);
      try {
        checkRoundTrip(text, `gen-${seed}.rego`);
      } catch (err) {
        throw new Error(`seed ${seed}:\n${text}\n${String(err)}`, { cause: err });
      }
    }
  });
});

describe("formatting without the source text", () => {
  it("is idempotent and meaning-preserving on 100 generated modules", () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const original = parseModule(generateModule(seed), `gen-${seed}.rego`);
      const once = formatModule(original);
      const reparsed = parseModule(once, `gen-${seed}.rego`);
      expect(normalizeModule(reparsed), `seed ${seed}`).toEqual(normalizeModule(original));
      expect(formatModule(reparsed), `seed ${seed}`).toBe(once);
    }
  });
});

describe("canonical layout", () => {
  const fmt = (src: string): string => formatSource(src, "t.rego");

  it("sorts imports, uses := and if, tabs, one blank line between rules", () => {
    expect(
      fmt(
        'package a\nimport rego.v1\nimport data.b\ndefault p = false\np = true if { input.x; input.y }\nq contains "z" if input.z\n\n\n\nr[k] = 1 if { some k in input.k }',
      ),
    ).toBe(
      [
        "package a",
        "",
        "import data.b",
        "import rego.v1",
        "",
        "default p := false",
        "",
        "p := true if {",
        "\tinput.x",
        "\tinput.y",
        "}",
        "",
        'q contains "z" if input.z',
        "",
        "r[k] := 1 if some k in input.k",
        "",
      ].join("\n"),
    );
  });

  it("keeps comments in place", () => {
    const text = readFileSync(join(ROOT, "test/parse/fixtures/comments.rego"), "utf8");
    expect(fmt(text)).toBe(text);
  });

  it("prints minimal parentheses by precedence", () => {
    expect(fmt("package a\np := ((1 + 2)) * (3 - (4 - 5)) - (6 - 7)")).toBe(
      "package a\n\np := (1 + 2) * (3 - (4 - 5)) - (6 - 7)\n",
    );
    expect(fmt("package a\np := [(a | b), c]\nq := {(x | y): 1}\nr := (k, v in o) == true")).toBe(
      "package a\n\np := [(a | b), c]\n\nq := {(x | y): 1}\n\nr := (k, v in o) == true\n",
    );
    expect(fmt("package a\np := [(a + 1) | true]\nq := -x")).toBe(
      "package a\n\np := [(a + 1) | true]\n\nq := 0 - x\n",
    );
  });

  it("normalizes strings and refs", () => {
    expect(fmt('package a\np := input["a"]["b-c"][0]\nq := "\\u0041\\/"\nr := `raw`')).toBe(
      'package a\n\np := input.a["b-c"][0]\n\nq := "A/"\n\nr := `raw`\n',
    );
  });

  it("keeps single-line and block bodies as written", () => {
    const src =
      "package a\n\np if input.x\n\nq if {\n\tinput.y\n}\n\nr if every x in xs {\n\tx\n}\n";
    expect(fmt(src)).toBe(
      src.replace("r if every x in xs {\n\tx\n}", "r if {\n\tevery x in xs {\n\t\tx\n\t}\n}"),
    );
  });
});
