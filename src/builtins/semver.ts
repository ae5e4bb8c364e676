// Semantic versions (semver.org 2.0.0) via the `semver` package, strictly: no `v` prefix.
import semver from "semver";
import type { Value } from "../value/value.js";
import { defineBuiltin, fail, T } from "./define.js";
import type { Builtin } from "./registry.js";

/** The package also accepts a `v`/`=` prefix and surrounding spaces; SemVer 2.0.0 does not. */
function isStrictSemver(s: string): boolean {
  return semver.parse(s) !== null && s === s.trim() && !/^[v=]/i.test(s);
}

function compare([a, b]: Value[]): Value {
  const name = "semver.compare";
  for (const [i, v] of [a, b].entries()) {
    if (!isStrictSemver(v as string))
      throw fail(name, `operand ${i + 1}: string ${JSON.stringify(v)} is not a valid SemVer`);
  }
  return semver.compare(a as string, b as string);
}

export const semverBuiltins: Builtin[] = [
  defineBuiltin({
    name: "semver.is_valid",
    args: [T.any],
    result: T.boolean,
    impl: ([v]) => typeof v === "string" && isStrictSemver(v),
  }),
  defineBuiltin({
    name: "semver.compare",
    args: [T.string, T.string],
    result: T.number,
    impl: compare,
  }),
];
