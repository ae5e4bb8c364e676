// Malformed modules and the exact diagnostics they must produce (line:col: message).
// Each source is small on purpose: one mistake per case, read top to bottom.
import { describe, expect, it } from "vitest";
import { parseModule } from "../../src/rego/parser.js";
import { DiagnosticError } from "../../src/diagnostics/diagnostic.js";

type Case = [source: string, expected: string | string[]];

const CASES: Case[] = [
  ["p := 1", '1:1: unexpected identifier "p", expected "package" declaration'],
  ["package a\nimport data.x as if", '2:18: unexpected keyword "if", expected an alias name'],
  ["package a\nimport data.x as", "2:17: unexpected end of file, expected an alias name"],
  ["package a\np { true }", "2:3: `if` keyword is required before rule body"],
  [
    "package a\np[x] { x := 1 }",
    '2:6: `contains` keyword is required for partial set rules: write "p contains <term> if { ... }"',
  ],
  ["package a\np := [1, 2", "2:6: missing closing bracket ]"],
  ['package a\np := {"a": 1', "2:6: missing closing brace }"],
  ["package a\np := f(1, 2", "2:7: missing closing parenthesis )"],
  ["package a\np := (1 + 2", "2:6: missing closing parenthesis )"],
  ['package a\np := "abc', "2:6: unterminated string"],
  ['package a\np := "abc\\q"', '2:10: invalid escape sequence "\\q" in string'],
  ['package a\np := "\\u12"', "2:7: invalid unicode escape: expected \\u followed by 4 hex digits"],
  ["package a\np := `abc", "2:6: unterminated raw string"],
  ["package a\np := 1 +", "2:9: unexpected end of file, expected a term"],
  ["package a\np := 1 2", "2:8: unexpected number 2, expected a newline before the next statement"],
  ["package a\np if { x := }", '2:13: unexpected "}", expected a term'],
  ["package a\np if {}", "2:7: empty body: a body needs at least one expression"],
  ["package a\np if { if := 1 }", '2:8: unexpected keyword "if", expected a term'],
  ["package a\np if { x := some }", '2:13: unexpected keyword "some", expected a term'],
  ["package a\np := 1 ! 2", '2:8: illegal character "!" (did you mean "!="?)'],
  ["package a\np := 1e", "2:6: invalid number: exponent has no digits"],
  ["package a\np := 12abc", '2:6: invalid number "12abc"'],
  ["package a\np := [1, 2}", '2:11: unexpected "}", expected "," or "]"'],
  ['package a\np := {"a" 1}', '2:11: unexpected number 1, expected "," or "}"'],
  [
    'package a\np := {"a": 1, "b"}',
    '2:18: unexpected "}", expected ":" between object key and value',
  ],
  ["package a\ndefault p", '2:10: default rules need a value: write "default p := <value>"'],
  ["package a\ndefault p := 1 if { true }", "2:16: default rules cannot have a body"],
  [
    "package a\ndefault p contains 1",
    '2:11: "contains" cannot be used with functions or default rules',
  ],
  ["package a\np if", "2:5: unexpected end of file, expected a term"],
  [
    "package a\np",
    '2:2: rule "p" needs a value or a body (write "p := <value>" or "p if { ... }")',
  ],
  ["package a\np contains", "2:11: unexpected end of file, expected a term"],
  ["package a\nf(x := 1", '2:5: unexpected ":=", expected "," or ")"'],
  ["package a\np if { some 1 }", '2:13: "some" declares variables: expected a variable name'],
  [
    "package a\np if { every x { true } }",
    '2:16: unexpected "{", expected "in" after the "every" variables',
  ],
  [
    "package a\np if { every x in xs }",
    '2:22: unexpected "}", expected "{" to start the "every" body',
  ],
  [
    "package a\np if { every 1 in xs { true } }",
    "2:14: unexpected number 1, expected a variable name",
  ],
  ["package a\np if { not some x in xs }", '2:12: "not" cannot be applied to "some"'],
  ["package a\np if { x with input }", '2:21: unexpected "}", expected "as"'],
  [
    "package a\np if { x with 1 as 2 }",
    '2:15: unexpected number 1, expected a reference after "with" (input, data or a function name)',
  ],
  ["package a\np if { x := [y | ] }", "2:18: empty body: a body needs at least one expression"],
  ["package a\np if { x := [y | y := 1 }", '2:25: unexpected "}", expected a newline, ";" or "]"'],
  [
    "package a\np := 1 q := 2",
    '2:8: unexpected identifier "q", expected a newline before the next statement',
  ],
  ["package a\nif := 1", '2:1: keyword "if" cannot be used as a rule name'],
  ["package a\np.", '2:3: unexpected end of file, expected a name after "."'],
  [
    "package a\np[x] contains y else := 1 if true",
    '2:17: "else" cannot be used on multi-value (contains) or object rules',
  ],
  ["package a\np if { input.x[ }", '2:17: unexpected "}", expected a term'],
  ["package a\np := input. x", '2:13: unexpected identifier "x", expected a name after "."'],
  ["package a\np := 1 } ", '2:8: unexpected "}", expected a newline before the next statement'],
  ["package a\np := ]", '2:6: unexpected "]", expected a term'],
  ["package a\np := ,", '2:6: unexpected ",", expected a term'],
  ["package a\np := @", '2:6: illegal character "@"'],
  ["package a\np := 1 != ", "2:11: unexpected end of file, expected a term"],
  ["package a\np if { a := 1; ; b }", '2:16: unexpected ";", expected a term'],
  ["package a\np if { x := {1: } }", '2:17: unexpected "}", expected a term'],
  ["package a\np if { x := set(1, 2 }", '2:22: unexpected "}", expected "," or ")"'],
  [
    "package a\npackage b\npackage a\np := k, v",
    [
      "2:1: unexpected second package declaration",
      "3:1: unexpected second package declaration",
      '4:10: unexpected end of file, expected "in" after "key, value"',
    ],
  ],
  [
    "package a\n# METADATA\n# title: [unclosed\np := 1",
    "3:1: invalid METADATA YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  [
    "package a\n# METADATA\n# scope: galaxy\np := 1",
    '2:1: invalid annotation scope "galaxy": expected one of rule, document, package, subpackages',
  ],
  [
    "package a\n# METADATA\n# title: x\nimport data.y",
    "2:1: METADATA block must be followed by a rule or the package",
  ],
  ["package", "1:8: unexpected end of file, expected a package path"],
  ["package 1", "1:9: unexpected number 1, expected a package path"],
  ["package a.", '1:11: unexpected end of file, expected a name after "."'],
  [
    "package a\nimport foo.bar",
    '2:8: invalid import path "foo": must begin with data, input, future or rego',
  ],
  [
    "package a\n# METADATA\n# entrypoint: maybe\np := 1",
    '2:1: invalid METADATA: "entrypoint" must be true or false',
  ],
  [
    "package a\n# METADATA\n# scope: rule\npackage a",
    [
      "2:1: METADATA block must be followed by a rule or the package",
      "4:1: unexpected second package declaration",
    ],
  ],
  [
    "package a\np if { some x, y, z in xs }",
    '2:8: "some ... in" takes one or two variables (value, or key and value)',
  ],
  ["package a\np := 1 else := 2", '2:8: "else" needs a rule with a body before it'],
  [
    "package a\np := 1 if true else",
    '2:20: unexpected end of file, expected a value (":=") or a body ("if") after "else"',
  ],
  ["package a\nimport", "2:7: unexpected end of file, expected an import path"],
  ["package a\np := [x | x := 1", "2:6: missing closing bracket ]"],
  [
    "package a\np := input.x [0]",
    '2:14: unexpected "[", expected a newline before the next statement',
  ],
  [
    "package a\np if { x := 1 y := 2 }",
    '2:15: unexpected identifier "y", expected a newline, ";" or "}"',
  ],
  [
    'package a\np := "a" "b"',
    '2:10: unexpected string "b", expected a newline before the next statement',
  ],
  ["package a\n1 := p", "2:1: unexpected number 1, expected a rule name"],
  ["package a\np if { 1 in }", '2:13: unexpected "}", expected a term'],
  ["package a\np := -", "2:7: unexpected end of file, expected a term"],
  ["package a\np := [1,,2]", '2:9: unexpected ",", expected a term'],
  ["package a\np := x.1", '2:8: unexpected number 1, expected a name after "."'],
  ["package a\np := {1: 2, 3}", '2:14: unexpected "}", expected ":" between object key and value'],
  ["package a\np := data.", '2:11: unexpected end of file, expected a name after "."'],
  [
    "package a\np if { x := 1 } } ",
    '2:17: unexpected "}", expected a newline before the next statement',
  ],
  [
    "package a\nf(x) := y if { y := x } else := 1 if",
    "2:37: unexpected end of file, expected a term",
  ],
  [
    "package a\np if {\n\tx := [\n\t\t1,\n\t\t2\n\ty := 3\n}",
    '6:2: unexpected identifier "y", expected "," or "]"',
  ],
  [
    'package a\np := "tab\tinside is fine" + "but \\x is not"',
    '2:34: invalid escape sequence "\\x" in string',
  ],
];

function diagnosticsOf(source: string): string[] {
  try {
    parseModule(source, "m.rego");
  } catch (err) {
    if (!(err instanceof DiagnosticError)) throw err;
    for (const d of err.diagnostics) {
      expect(d.code).toBe("rego_parse_error");
      expect(d.loc.file).toBe("m.rego");
    }
    return err.diagnostics.map((d) => `${d.loc.line}:${d.loc.col}: ${d.message}`);
  }
  throw new Error("expected a parse error");
}

describe("malformed modules", () => {
  it("has at least 50 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  for (const [source, expected] of CASES) {
    it(`${JSON.stringify(source)} → ${String(expected)}`, () => {
      expect(diagnosticsOf(source)).toEqual(Array.isArray(expected) ? expected : [expected]);
    });
  }
});
