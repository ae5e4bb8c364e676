// A shrunk mismatch as a ready-to-paste case for test/rego/*.yaml (format in
// test/rego/README.md). The expectation is the evaluator's answer (the Wasm module's when
// the evaluator crashed); both answers are written above the case as comments, and whoever
// pastes it must set the expectation to what OPA answers.
import { stringify } from "yaml";
import { renderPackage } from "./generate.js";
import { outcomeText, type Mismatch, type Outcome } from "./diff.js";
import { reproducerEntrypoint } from "./shrink.js";

function expectation(o: Outcome): Record<string, unknown> {
  switch (o.kind) {
    case "value":
      return { want: o.value };
    case "undefined":
      return { want_undefined: true };
    case "error":
      return { want_error: { code: o.code, message: o.message } };
    default:
      return { want_error: { code: "eval_type_error", message: `(crash) ${o.message}` } };
  }
}

/** The YAML list item (indented for a `cases:` list) reproducing a mismatch. */
export function reproducerYaml(m: Mismatch, name: string): string {
  const c = m.fuzzCase;
  const answer = m.evaluator.kind === "crash" ? m.wasm : m.evaluator;
  const item = {
    name,
    modules: c.packages.map((p) => renderPackage(p, 0)),
    data: { d0: c.data },
    input: c.input,
    entrypoint: reproducerEntrypoint(m),
    ...expectation(answer),
  };
  const comments = [
    `# evaluator: ${outcomeText(m.evaluator)}`,
    `# wasm:      ${outcomeText(m.wasm)}`,
  ];
  const body = stringify([item], { lineWidth: 0 }).trimEnd();
  return [...comments, ...body.split("\n")].map((line) => `  ${line}`).join("\n");
}
