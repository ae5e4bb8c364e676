import { describe, expect, it } from "vitest";
import { renderJUnit } from "./junit.js";

describe("JUnit XML", () => {
  it("groups cases in suites with counts, and escapes text", () => {
    const xml = renderJUnit([
      { suite: "decisions", name: "a <ok>", ms: 1 },
      {
        suite: "decisions",
        name: "b",
        ms: 2,
        failure: { kind: "failure", message: 'want "x" & y\u0001' },
      },
      { suite: "rego", name: "c", ms: 1500, failure: { kind: "error", message: "boom" } },
    ]);
    expect(xml).toContain('<testsuites tests="3" failures="1" errors="1">');
    expect(xml).toContain(
      '<testsuite name="decisions" tests="2" failures="1" errors="0" time="0.003">',
    );
    expect(xml).toContain('name="a &#60;ok&#62;"');
    expect(xml).toContain('<failure message="want &#34;x&#34; &#38; y"/>');
    expect(xml).toContain('<testcase classname="rego" name="c" time="1.500">');
    expect(xml).toContain('<error message="boom"/>');
  });
});
