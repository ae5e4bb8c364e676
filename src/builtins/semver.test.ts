import { describe, it } from "vitest";
import { expectOutcome, type Row } from "./testing.js";

const rows: Row[] = [
  ["semver.is_valid", ["1.0.0"], true],
  ["semver.is_valid", ["1.0.0-rc.1+build.5"], true],
  ["semver.is_valid", ["v1.0.0"], false],
  ["semver.is_valid", ["1.0"], false],
  ["semver.is_valid", ["01.0.0"], false],
  ["semver.is_valid", [1], false],
  ["semver.compare", ["1.0.0", "1.0.1"], -1],
  ["semver.compare", ["2.0.0", "1.9.9"], 1],
  ["semver.compare", ["1.0.0-alpha", "1.0.0"], -1],
  ["semver.compare", ["1.0.0-alpha.1", "1.0.0-alpha.beta"], -1],
  ["semver.compare", ["1.0.0+a", "1.0.0+b"], 0],
  ["semver.compare", ["x", "1.0.0"], /semver.compare: operand 1: string "x" is not a valid SemVer/],
];

describe("semver builtins", () => {
  it.each(rows)("%s %j", (name, args, expected) => expectOutcome(name, args, expected));
});
