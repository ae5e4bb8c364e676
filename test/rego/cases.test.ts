// Checks the case files themselves (not an engine): every file parses and validates, names
// are unique, every case has exactly one expectation, and the loader rejects malformed
// files with a message naming the file and the case.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CaseFileError,
  entrypointRef,
  loadCases,
  moduleFileName,
  parseCaseFile,
  type RegoCase,
} from "./cases.js";

const CASE_DIR = "test/rego";
const MIN_CASES = 330;

function expectationCount(c: RegoCase): number {
  return [
    "want" in c,
    c.wantUndefined === true,
    c.wantError !== undefined,
    c.wantCompileError !== undefined,
  ].filter(Boolean).length;
}

describe("the Rego case suite", () => {
  const cases = loadCases(CASE_DIR);

  it(`has at least ${MIN_CASES} cases`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
  });

  it("has unique case names", () => {
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("gives every case exactly one expectation", () => {
    const wrong = cases.filter((c) => expectationCount(c) !== 1).map((c) => c.name);
    expect(wrong).toEqual([]);
  });

  it("covers every expectation kind", () => {
    expect(cases.some((c) => "want" in c)).toBe(true);
    expect(cases.some((c) => c.wantUndefined)).toBe(true);
    expect(cases.some((c) => c.wantError)).toBe(true);
    expect(cases.some((c) => c.wantCompileError)).toBe(true);
  });

  it("declares the entrypoint's package or a prefix of it in some module", () => {
    const orphans = cases
      .filter((c) => c.wantCompileError === undefined)
      .filter((c) => !c.modules.some((m) => declaresPackageOnPath(m, c.entrypoint)))
      .map((c) => c.name);
    expect(orphans).toEqual([]);
  });

  it("has several case files, each with cases", () => {
    const files = new Set(cases.map((c) => c.file));
    expect(files.size).toBeGreaterThanOrEqual(20);
  });
});

/** True when the module's package is a prefix of the entrypoint path or lies below it. */
function declaresPackageOnPath(module: string, entrypoint: string): boolean {
  const match = /^\s*package\s+([\w.]+)/m.exec(module);
  if (!match?.[1]) return false;
  const pkg = match[1].split(".");
  const path = entrypoint.split("/");
  const n = Math.min(pkg.length, path.length);
  return pkg.slice(0, n).join("/") === path.slice(0, n).join("/");
}

describe("helpers", () => {
  it("names modules by index", () => {
    expect(moduleFileName(0)).toBe("module0.rego");
    expect(moduleFileName(3)).toBe("module3.rego");
  });

  it("turns an entrypoint into a data reference", () => {
    expect(entrypointRef("test/p")).toBe("data.test.p");
    expect(entrypointRef("a")).toBe("data.a");
  });
});

describe("parseCaseFile", () => {
  const mod = "      - |\n        package test\n        p := 1\n";
  const head = (name: string) => `cases:\n  - name: ${name}\n    modules:\n${mod}`;

  it("reads a well-formed case", () => {
    const [c] = parseCaseFile(
      "ok.yaml",
      `${head("one")}    input: {x: 1}\n    entrypoint: test/p\n    want: 1\n`,
    );
    expect(c).toEqual({
      file: "ok.yaml",
      name: "one",
      modules: ["package test\np := 1\n"],
      input: { x: 1 },
      entrypoint: "test/p",
      want: 1,
    });
  });

  it("keeps a null expectation distinct from a missing one", () => {
    const [c] = parseCaseFile("n.yaml", `${head("nul")}    entrypoint: test/p\n    want: null\n`);
    expect(c && "want" in c).toBe(true);
    expect(c?.want).toBeNull();
  });

  it("reads compile errors with a location", () => {
    const [c] = parseCaseFile(
      "ce.yaml",
      `${head("ce")}    entrypoint: test/p\n    want_compile_error: {code: rego_unsafe_var_error, message: "var x is unsafe", line: 2, col: 1}\n`,
    );
    expect(c?.wantCompileError).toEqual({
      code: "rego_unsafe_var_error",
      message: "var x is unsafe",
      line: 2,
      col: 1,
    });
  });

  const rejects: [string, string, RegExp][] = [
    ["no expectation", `${head("none")}    entrypoint: test/p\n`, /'none'.*exactly one/],
    [
      "two expectations",
      `${head("two")}    entrypoint: test/p\n    want: 1\n    want_undefined: true\n`,
      /'two'.*exactly one/,
    ],
    [
      "bad entrypoint",
      `${head("ep")}    entrypoint: data.test.p\n    want: 1\n`,
      /'ep'.*entrypoint/,
    ],
    ["unknown key", `${head("uk")}    entrypoint: test/p\n    wnat: 1\n`, /'uk'.*unknown key/],
    [
      "falsy input",
      `${head("fi")}    input: 0\n    entrypoint: test/p\n    want: 1\n`,
      /'fi'.*input/,
    ],
    [
      "non-object data",
      `${head("nd")}    data: [1]\n    entrypoint: test/p\n    want: 1\n`,
      /'nd'.*data/,
    ],
    [
      "bad error code",
      `${head("ec")}    entrypoint: test/p\n    want_error: {code: oops, message: x}\n`,
      /'ec'.*code/,
    ],
    [
      "compile code as eval error",
      `${head("cc")}    entrypoint: test/p\n    want_error: {code: rego_type_error, message: x}\n`,
      /'cc'.*code/,
    ],
    [
      "line past the module",
      `${head("ln")}    entrypoint: test/p\n    want_compile_error: {code: rego_type_error, message: x, line: 40}\n`,
      /'ln'.*line/,
    ],
    [
      "want_undefined false",
      `${head("uf")}    entrypoint: test/p\n    want_undefined: false\n`,
      /'uf'.*want_undefined/,
    ],
    [
      "module without package",
      "cases:\n  - name: np\n    modules: ['p := 1']\n    entrypoint: test/p\n    want: 1\n",
      /'np'.*package/,
    ],
    ["no cases list", "tests: []\n", /bad\.yaml.*cases/],
    [
      "duplicate names",
      `${head("dup")}    entrypoint: test/p\n    want: 1\n${head("dup").replace("cases:\n", "")}    entrypoint: test/p\n    want: 1\n`,
      /'dup'.*already used/,
    ],
    ["invalid YAML", "cases: [\n", /bad\.yaml.*YAML/],
  ];

  for (const [label, text, pattern] of rejects) {
    it(`rejects ${label}`, () => {
      expect(() => parseCaseFile("bad.yaml", text)).toThrow(CaseFileError);
      expect(() => parseCaseFile("bad.yaml", text)).toThrow(pattern);
    });
  }
});

describe("loadCases", () => {
  const dir = mkdtempSync(join(tmpdir(), "rego-cases-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rejects a name used in two files, naming both", () => {
    const text =
      "cases:\n  - name: same\n    modules: ['package test\n\n      p := 1']\n    entrypoint: test/p\n    want: 1\n";
    writeFileSync(join(dir, "a.yaml"), text);
    writeFileSync(join(dir, "b.yaml"), text);
    expect(() => loadCases(dir)).toThrow(/b\.yaml.*'same'.*a\.yaml/);
  });
});
