// Rule-index benchmark (issue 9): a policy grows from 10 to 10,000 rules of the form
// `allow if { input.action == "action.<i>"; ... }`. With the rule index the decision costs
// one hash lookup whatever the rule count; without it (compiler option `index: false`)
// every body is tried in turn, as in OPA's own Wasm. Also reports module sizes per
// entrypoint set (dead-code elimination). Run alone with `npx tsx bench/rule-index.ts`.
import { createRequire } from "node:module";
import { compilePolicySync } from "../src/wasm/compile.js";
import { readRegoSources } from "../src/rego/sources.js";
import { isEntryModule } from "../src/cli/entry.js";

// The SDK's ESM entry lacks loadPolicySync and typed defaults; its CommonJS entry has both.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

export interface RuleIndexRow {
  rules: number;
  indexed: boolean;
  compileMs: number;
  wasmBytes: number;
  /** Mean microseconds per `evaluate` through the SDK (input hitting the last rule). */
  evalUs: number;
}

export interface ModuleSizeRow {
  entrypoints: string[];
  wasmBytes: number;
}

export interface RuleIndexBenchResult {
  rows: RuleIndexRow[];
  sizes: ModuleSizeRow[];
}

interface Loaded {
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): { result: unknown }[];
}

/** N rules testing `input.action`, each with a second condition on the role. */
export function generatePolicy(rules: number): string {
  const lines = ["package bench", "", "default allow := false", ""];
  for (let i = 0; i < rules; i++) {
    lines.push(
      `allow if {`,
      `\tinput.action == "action.${i}"`,
      `\tinput.role == "role.${i % 7}"`,
      `}`,
      ``,
    );
  }
  lines.push(`decision := {"allow": allow}`);
  return lines.join("\n");
}

/** Best of several rounds: the machine is shared, so the minimum is the least noisy. */
function timeEvaluations(policy: Loaded, input: unknown, iterations: number, rounds = 7): number {
  for (let i = 0; i < Math.min(500, iterations); i++) policy.evaluate(input);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) policy.evaluate(input);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / iterations);
  }
  return best;
}

async function measure(rules: number, indexed: boolean, iterations: number): Promise<RuleIndexRow> {
  const t0 = performance.now();
  const compiled = compilePolicySync({
    sources: [{ file: "bench.rego", text: generatePolicy(rules) }],
    entrypoints: ["bench/decision"],
    index: indexed,
  });
  const compileMs = performance.now() - t0;
  // Large policies carry large constant sections: give the SDK enough initial memory.
  const pages = Math.ceil(compiled.wasm.length / 65536) * 4 + 8;
  const policy = (await opa.loadPolicy(compiled.wasm, { initial: pages })) as Loaded;
  policy.setData({});
  const last = rules - 1;
  const input = { action: `action.${last}`, role: `role.${last % 7}` };
  const rs = policy.evaluate(input);
  if (JSON.stringify(rs) !== '[{"result":{"allow":true}}]') {
    throw new Error(`wrong decision for ${rules} rules: ${JSON.stringify(rs)}`);
  }
  return {
    rules,
    indexed,
    compileMs,
    wasmBytes: compiled.wasm.length,
    evalUs: timeEvaluations(policy, input, iterations),
  };
}

/** Module size of the contact-center policies per entrypoint set (dead-code elimination). */
function moduleSizes(): ModuleSizeRow[] {
  const sources = readRegoSources(["policies"], { tests: false });
  const sets = [
    ["ccpol/decision/decision"],
    ["ccpol/common"],
    ["ccpol/decision/decision", "ccpol/admin"],
  ];
  const rows: ModuleSizeRow[] = [];
  for (const entrypoints of sets) {
    try {
      rows.push({
        entrypoints,
        wasmBytes: compilePolicySync({ sources, entrypoints }).wasm.length,
      });
    } catch (err) {
      rows.push({ entrypoints, wasmBytes: -1 });
      console.error(
        `${entrypoints.join(", ")}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const tiny = `package tiny\nallow if input.x == 1\n`;
  rows.push({
    entrypoints: ["tiny/allow (one-line policy)"],
    wasmBytes: compilePolicySync({
      sources: [{ file: "tiny.rego", text: tiny }],
      entrypoints: ["tiny/allow"],
    }).wasm.length,
  });
  return rows;
}

export async function benchRuleIndex(
  counts: readonly number[] = [10, 100, 1000, 10000],
  iterations = 2000,
  modes: readonly boolean[] = [true, false],
): Promise<RuleIndexBenchResult> {
  const rows: RuleIndexRow[] = [];
  for (const rules of counts) {
    for (const indexed of modes) {
      // Body-by-body evaluation is linear in the rule count: fewer iterations keep it short.
      const n = indexed
        ? iterations
        : Math.max(50, Math.floor((iterations * 100) / Math.max(100, rules)));
      rows.push(await measure(rules, indexed, n));
    }
  }
  return { rows, sizes: moduleSizes() };
}

export function formatRuleIndex(result: RuleIndexBenchResult): string {
  const lines = [
    "| rules | index | compile ms | policy.wasm bytes | µs / evaluate (SDK) |",
    "| ----: | :---: | ---------: | ----------------: | ------------------: |",
    ...result.rows.map(
      (r) =>
        `| ${r.rules} | ${r.indexed ? "yes" : "no"} | ${r.compileMs.toFixed(0)} | ${r.wasmBytes} | ${r.evalUs.toFixed(2)} |`,
    ),
    "",
    "| entrypoints | policy.wasm bytes |",
    "| ----------- | ----------------: |",
    ...result.sizes.map((s) => `| ${s.entrypoints.join(", ")} | ${s.wasmBytes} |`),
  ];
  return lines.join("\n");
}

if (isEntryModule(import.meta.url)) {
  // `npx tsx bench/rule-index.ts [counts...] [--indexed|--plain]`; 10,000 rules compile to a
  // module of a few MB, so on small machines run the two modes in separate processes.
  const args = process.argv.slice(2);
  const counts = args.map(Number).filter((n) => n > 0);
  const modes = args.includes("--indexed")
    ? [true]
    : args.includes("--plain")
      ? [false]
      : [true, false];
  console.log(
    formatRuleIndex(await benchRuleIndex(counts.length > 0 ? counts : undefined, 2000, modes)),
  );
}
