import { describe, expect, it } from "vitest";
import { checkInput, runFuzz } from "../../scripts/fuzz-parse.js";

describe("parser fuzzing", () => {
  it("turns 5,000 fixed-seed inputs into modules or located parse errors", () => {
    const { failures } = runFuzz({ seed: 20261122, cases: 5000 });
    expect(failures.map((f) => `case ${f.index}: ${f.problem}\n${f.input.slice(0, 300)}`)).toEqual(
      [],
    );
  });

  it("rejects what the checks are meant to catch", () => {
    expect(checkInput("package a\np := 1\n")).toBeUndefined();
    expect(checkInput("package a\np := [\n")).toBeUndefined();
    expect(checkInput("package a\n# METADATA\n# x: *nope\np := 1\n")).toBeUndefined();
  });
});
