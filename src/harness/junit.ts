// JUnit XML, the report format CI systems read.

export interface JUnitCase {
  suite: string;
  name: string;
  ms: number;
  /** Absent when the case passed. */
  failure?: { kind: "failure" | "error"; message: string };
}

export function renderJUnit(cases: readonly JUnitCase[]): string {
  const suites = new Map<string, JUnitCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (list: readonly JUnitCase[], kind: "failure" | "error") =>
    list.filter((c) => c.failure?.kind === kind).length;
  out.push(
    `<testsuites tests="${cases.length}" failures="${count(cases, "failure")}" errors="${count(cases, "error")}">`,
  );
  for (const [suite, list] of suites) {
    const seconds = list.reduce((s, c) => s + c.ms, 0) / 1000;
    out.push(
      `  <testsuite name="${xml(suite)}" tests="${list.length}" failures="${count(list, "failure")}" errors="${count(list, "error")}" time="${seconds.toFixed(3)}">`,
    );
    for (const c of list) {
      const open = `    <testcase classname="${xml(suite)}" name="${xml(c.name)}" time="${(c.ms / 1000).toFixed(3)}"`;
      if (c.failure === undefined) out.push(`${open}/>`);
      else {
        out.push(`${open}>`);
        out.push(`      <${c.failure.kind} message="${xml(c.failure.message)}"/>`);
        out.push("    </testcase>");
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

// XML 1.0 cannot carry most control characters, even escaped: they are dropped.
function xml(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") continue;
    out += /[<>&"']/.test(ch) ? `&#${code};` : ch;
  }
  return out;
}
