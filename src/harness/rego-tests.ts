// Rego unit tests, as `opa test` runs them: every rule named `test_*` in a `*_test.rego`
// file is a test that passes when it evaluates to true. Tests run on the compiled Wasm
// module (each test rule is an entrypoint), so they check the compiler too.
import { parseModule } from "../rego/parser.js";
import { isTestFile, type RegoSource } from "../rego/sources.js";
import { compilePolicy } from "../wasm/compile.js";
import { WasmPolicy } from "../host/wasm-policy.js";

export interface RegoTest {
  /** `data.<package>.<rule>` */
  name: string;
  entrypoint: string;
  file: string;
  line: number;
}

export type RegoTestOutcome = "pass" | "fail" | "error";

export interface RegoTestResult extends RegoTest {
  outcome: RegoTestOutcome;
  /** Why a test failed or errored. */
  message?: string;
  ms: number;
}

/** The `test_*` rules of the `*_test.rego` sources, once per name. */
export function findRegoTests(sources: readonly RegoSource[]): RegoTest[] {
  const tests = new Map<string, RegoTest>();
  for (const source of sources.filter((s) => isTestFile(s.file))) {
    const module = parseModule(source.text, source.file);
    for (const rule of module.rules) {
      if (!rule.head.name.startsWith("test_") || rule.head.kind === "function") continue;
      const path = [...module.package.path, rule.head.name];
      const name = ["data", ...path].join(".");
      if (!tests.has(name)) {
        tests.set(name, {
          name,
          entrypoint: path.join("/"),
          file: source.file,
          line: rule.loc.line,
        });
      }
    }
  }
  return [...tests.values()];
}

/** Compiles policies and tests together and runs every test with `data` as base data. */
export async function runRegoTests(
  sources: readonly RegoSource[],
  data: unknown,
): Promise<RegoTestResult[]> {
  const tests = findRegoTests(sources);
  if (tests.length === 0) return [];
  const compiled = await compilePolicy({
    sources: [...sources],
    entrypoints: tests.map((t) => t.entrypoint),
  });
  const policy = await WasmPolicy.load(compiled.wasm);
  policy.setData(data);
  return tests.map((test) => runOne(policy, test));
}

function runOne(policy: WasmPolicy, test: RegoTest): RegoTestResult {
  const start = performance.now();
  const finish = (outcome: RegoTestOutcome, message?: string): RegoTestResult => ({
    ...test,
    outcome,
    ...(message === undefined ? {} : { message }),
    ms: performance.now() - start,
  });
  try {
    const rs = policy.evaluate(test.entrypoint);
    if (rs.length === 1 && rs[0]!.result === true) return finish("pass");
    return finish(
      "fail",
      rs.length === 0 ? "undefined" : `evaluated to ${JSON.stringify(rs[0]!.result)}`,
    );
  } catch (err) {
    return finish("error", err instanceof Error ? err.message : String(err));
  }
}
