import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const rows: Row[] = [
  ["glob.match", ["*.github.com", [], "api.github.com"], true],
  ["glob.match", ["*.github.com", [], "api.cdn.github.com"], false],
  ["glob.match", ["*hub.com", null, "api.cdn.github.com"], true],
  ["glob.match", ["*:github:com", [":"], "api:github:com"], true],
  ["glob.match", ["api.**.com", [], "api.github.com"], true],
  ["glob.match", ["api.**.com", [], "api.cdn.github.com"], true],
  ["glob.match", ["?at", [], "cat"], true],
  ["glob.match", ["?at", [], "at"], false],
  ["glob.match", ["?at", [], ".at"], false],
  ["glob.match", ["[abc]at", [], "bat"], true],
  ["glob.match", ["[!abc]at", [], "cat"], false],
  ["glob.match", ["[a-c]at", [], "cat"], true],
  ["glob.match", ["[!a-c]at", [], "dat"], true],
  ["glob.match", ["{cat,bat,[fr]at}", [], "rat"], true],
  ["glob.match", ["{cat,bat,[fr]at}", [], "mat"], false],
  ["glob.match", ["\\*.com", [], "*.com"], true],
  ["glob.match", ["\\*.com", [], "a.com"], false],
  ["glob.match", ["a-b/*", ["/"], "a-b/c"], true],
  ["glob.match", ["[a-", [], "a"], /glob.match: invalid glob pattern/],
  [
    "glob.match",
    ["*", 1, "a"],
    /glob.match: operand 2 must be one of \{array, null\} but got number/,
  ],
  ["glob.quote_meta", ["*.github.com"], "\\*.github.com"],
  ["glob.quote_meta", ["[a]{b}?\\"], "\\[a\\]\\{b\\}\\?\\\\"],
];

describe("glob builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
