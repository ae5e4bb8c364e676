import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const rows: Row[] = [
  ["regex.match", ["^[a-z]+\\[[0-9]+\\]$", "foo[1]"], true],
  ["regex.match", ["foo.*", "seafood"], true],
  ["regex.match", ["^foo$", "seafood"], false],
  ["regex.match", ["[a-z", "x"], /regex.match: error parsing regexp/],
  ["regex.is_valid", [".*"], true],
  ["regex.is_valid", ["[a-z"], false],
  ["regex.is_valid", [1], false],
  ["regex.split", ["[ ,]+", "a, b  c"], ["a", "b", "c"]],
  ["regex.split", ["a*", "abaabaccadaaae"], ["", "b", "b", "c", "c", "d", "e"]],
  ["regex.split", ["x", ""], [""]],
  ["regex.find_n", ["[oa]+", "foo bar baa", -1], ["oo", "a", "aa"]],
  ["regex.find_n", ["[oa]+", "foo bar baa", 2], ["oo", "a"]],
  ["regex.find_n", ["a*", "baaab", -1], ["", "aaa", ""]],
  [
    "regex.find_all_string_submatch_n",
    ["a(x*)b", "-ab-axxb-", -1],
    [
      ["ab", ""],
      ["axxb", "xx"],
    ],
  ],
  ["regex.find_all_string_submatch_n", ["a(x)?b", "ab", 1], [["ab", ""]]],
  ["regex.replace", ["foo-bar", "(\\w+)-(\\w+)", "$2-$1"], "bar-foo"],
  ["regex.replace", ["ab", "(a)", "$1x"], "b"],
  ["regex.replace", ["ab", "(a)", "${1}x"], "axb"],
  ["regex.replace", ["ab", "(?P<first>a)", "[$first]$$"], "[a]$b"],
  ["regex.template_match", ["urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"], true],
  ["regex.template_match", ["urn:foo.bar.com:{.*}", "urn:foo.bar.com:bar:baz", "{", "}"], true],
  ["regex.template_match", ["urn:foo.bar.com:{.*}", "urn:fooXbar.com:bar:baz", "{", "}"], false],
  ["regex.template_match", ["urn:{[a-z]{2}}:x", "urn:ab:x", "{", "}"], true],
  [
    "regex.template_match",
    ["urn:{x", "urn:x", "{", "}"],
    /regex.template_match: unbalanced braces/,
  ],
  ["regex.globs_match", ["a.a.", ".b.b"], true],
  ["regex.globs_match", ["[a-z]+", "[0-9]*"], false],
  ["regex.globs_match", ["[a-z]+", "[0-9]*x"], true],
  ["regex.globs_match", ["a*", "b*"], false],
  ["regex.globs_match", ["a*b", ".+"], true],
  ["regex.globs_match", ["[^a]", "a"], false],
  ["regex.globs_match", ["[^a]", "[ab]"], true],
  ["regex.globs_match", ["ab?c", "a.c"], true],
  ["regex.globs_match", ["abc", "ab"], false],
  ["regex.globs_match", ["\\.", "x"], false],
  ["regex.globs_match", ["[a-", "a"], /regex.globs_match: missing closing \]/],
];

// Where Go's RE2 and JavaScript differ, the translation must give Go's answer.
const goSemantics: Row[] = [
  ["regex.match", ["^\\s$", "\u00a0"], false],
  ["regex.match", ["^\\s$", "\t"], true],
  ["regex.match", ["^a.c$", "a\rc"], true],
  ["regex.match", ["^a.c$", "a\nc"], false],
  ["regex.match", ["(?s)^a.c$", "a\nc"], true],
  ["regex.match", ["(?i)^ABC$", "abc"], true],
  ["regex.match", ["^(?P<word>[a-z]+)$", "abc"], true],
  ["regex.match", ["^[[:alpha:]]+[[:digit:]]$", "abc1"], true],
  ["regex.match", ["^\\pL\\p{Greek}$", "éα"], true],
  ["regex.match", ["^.$", "😀"], true],
  ["regex.match", ["^a{$", "a{"], true],
  ["regex.match", ["^a{2}$", "aa"], true],
  ["regex.match", ["^\\Qa.b\\E$", "axb"], false],
  ["regex.match", ["^\\Qa.b\\E$", "a.b"], true],
  ["regex.match", ["^\\x41\\x{1F600}$", "A😀"], true],
  ["regex.match", ["^a\\_b\\:c$", "a_b:c"], true],
  ["regex.match", ["\\Aab\\z", "ab"], true],
  ["regex.match", ["\\Aab\\z", "ab\n"], false],
  [
    "regex.match",
    ["a(?=b)", "ab"],
    /regex.match: error parsing regexp: invalid or unsupported Perl syntax/,
  ],
  ["regex.match", ["(a)\\1", "aa"], /regex.match: error parsing regexp: invalid escape sequence/],
  ["regex.match", ["a(?i)b", "aB"], /regex.match: error parsing regexp: unsupported inline flags/],
];

describe("regex builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
  it.each(goSemantics)("Go semantics: %s %j", (name, args, expected) =>
    expectOutcome(name, args, expected),
  );
});
