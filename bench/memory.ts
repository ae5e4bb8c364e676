// Compile time, module size and memory over one million evaluations (issues 4, 8, 9).
// - Compile: the contact-center policies compiled in-process; the first compile (which
//   also loads binaryen and the runtime) is reported apart from the warm ones.
// - Memory: one million evaluations of the decision mix (a) evaluate only, (b) with setData
//   between evaluations every N, on the host's WasmPolicy and on the SDK. Linear memory,
//   process RSS and V8 heapUsed are sampled at the start, along the run and at the end
//   (after a forced GC), so "no growth" is shown by numbers.
// Run alone with `npx tsx bench/memory.ts [evaluations]`.
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { createRequire } from "node:module";
import { compilePolicy } from "../src/wasm/compile.js";
import { DECISION_ENTRYPOINT, type DecisionRequest } from "../src/host/authorizer.js";
import { WasmPolicy } from "../src/host/wasm-policy.js";
import { loadContactCenter } from "./engines.js";
import { formatBytes, formatCount, median } from "./stats.js";
import { isEntryModule } from "../src/cli/entry.js";

// The SDK ships CommonJS with types that declare no default export: load it as the SDK's
// own examples do.
const opa = createRequire(import.meta.url)(
  "@open-policy-agent/opa-wasm",
) as typeof import("@open-policy-agent/opa-wasm");

export interface CompileBenchResult {
  firstMs: number;
  firstCpuMs: number;
  warmMedianMs: number;
  /** Process CPU time (user + system): steadier than wall time on a busy machine. */
  warmCpuMedianMs: number;
  warmRuns: number;
  wasmBytes: number;
  stages: { front: number; plan: number; codegen: number };
}

export interface MemorySample {
  evaluations: number;
  linearBytes: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface MemoryRun {
  engine: "host WasmPolicy" | "SDK LoadedPolicy";
  /** 0 = evaluate only; N = setData after every N evaluations. */
  setDataEvery: number;
  evaluations: number;
  seconds: number;
  samples: MemorySample[];
}

export interface MemoryBenchResult {
  compile: CompileBenchResult;
  runs: MemoryRun[];
}

/** V8's gc(), made callable without --expose-gc on the command line. */
function forceGc(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  return () => gc?.();
}

export async function benchCompile(
  sources: { file: string; text: string }[],
  warmRuns = 5,
): Promise<CompileBenchResult> {
  const compileOnce = async () => {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = await compilePolicy({ sources, entrypoints: [DECISION_ENTRYPOINT] });
    const cpu = process.cpuUsage(cpu0);
    return {
      ms: Number(process.hrtime.bigint() - t0) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      result,
    };
  };
  const first = await compileOnce();
  const warm: number[] = [];
  const warmCpu: number[] = [];
  let last = first.result;
  for (let i = 0; i < warmRuns; i++) {
    const run = await compileOnce();
    warm.push(run.ms);
    warmCpu.push(run.cpuMs);
    last = run.result;
  }
  return {
    firstMs: first.ms,
    firstCpuMs: first.cpuMs,
    warmMedianMs: median(warm),
    warmCpuMedianMs: median(warmCpu),
    warmRuns,
    wasmBytes: last.wasm.length,
    stages: last.timings,
  };
}

interface Evaluating {
  evaluate(request: DecisionRequest): unknown;
  setData(data: unknown): void;
  linearBytes(): number;
}

function sample(evaluations: number, target: Evaluating): MemorySample {
  const mem = process.memoryUsage();
  return {
    evaluations,
    linearBytes: target.linearBytes(),
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
  };
}

function memoryRun(
  engine: MemoryRun["engine"],
  target: Evaluating,
  mix: readonly DecisionRequest[],
  data: unknown,
  evaluations: number,
  setDataEvery: number,
  gc: () => void,
): MemoryRun {
  const checkpoints = 10;
  const every = Math.ceil(evaluations / checkpoints);
  // Warm-up outside the measured range, so the start figures are a steady state.
  for (let i = 0; i < Math.min(mix.length, 2000); i++) target.evaluate(mix[i]!);
  gc();
  const samples = [sample(0, target)];
  const t0 = process.hrtime.bigint();
  let next = 0;
  for (let i = 1; i <= evaluations; i++) {
    target.evaluate(mix[next]!);
    next = next + 1 === mix.length ? 0 : next + 1;
    if (setDataEvery > 0 && i % setDataEvery === 0) target.setData(data);
    if (i % every === 0 && i < evaluations) samples.push(sample(i, target));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  gc();
  samples.push(sample(evaluations, target));
  return { engine, setDataEvery, evaluations, seconds, samples };
}

/**
 * One million evaluations (twice: without and with setData) on the host's WasmPolicy, the
 * product's path; the SDK gets `sdkEvaluations` each (fewer, to keep `make bench` short).
 */
export async function benchMemory(
  evaluations = 1_000_000,
  setDataEvery = 1000,
  sdkEvaluations = 200_000,
): Promise<MemoryBenchResult> {
  const cc = await loadContactCenter();
  const compile = await benchCompile(cc.sources);
  const gc = forceGc();
  const wasm = (await compilePolicy({ sources: cc.sources, entrypoints: [DECISION_ENTRYPOINT] }))
    .wasm;
  const host = await WasmPolicy.load(wasm);
  const entry = host.entrypointId(DECISION_ENTRYPOINT);
  const hostTarget: Evaluating = {
    evaluate: (r) => host.evaluate(entry, r),
    setData: (d) => host.setData(d),
    linearBytes: () => host.memoryBytes(),
  };
  const sdk = await opa.loadPolicy(wasm);
  const sdkTarget: Evaluating = {
    evaluate: (r) => sdk.evaluate(r, DECISION_ENTRYPOINT),
    setData: (d) => sdk.setData(d as object),
    linearBytes: () => sdk.mem.buffer.byteLength,
  };
  const runs: MemoryRun[] = [];
  for (const [engine, target, n] of [
    ["host WasmPolicy", hostTarget, evaluations],
    ["SDK LoadedPolicy", sdkTarget, sdkEvaluations],
  ] as const) {
    target.setData(cc.data);
    runs.push(memoryRun(engine, target, cc.mix, cc.data, n, 0, gc));
    runs.push(memoryRun(engine, target, cc.mix, cc.data, n, setDataEvery, gc));
  }
  return { compile, runs };
}

function growth(run: MemoryRun, pick: (s: MemorySample) => number): number {
  return pick(run.samples[run.samples.length - 1]!) - pick(run.samples[0]!);
}

export function formatCompile(c: CompileBenchResult): string {
  return [
    "| measure | figure | CPU time | target | |",
    "|---|---:|---:|---:|---|",
    `| first compile in the process (loads binaryen and the runtime) | ${c.firstMs.toFixed(0)} ms | ${c.firstCpuMs.toFixed(0)} ms | | |`,
    `| compile, warm (median of ${c.warmRuns}) | ${c.warmMedianMs.toFixed(0)} ms | ${c.warmCpuMedianMs.toFixed(0)} ms | < 500 ms | ${c.warmMedianMs < 500 ? "met" : c.warmCpuMedianMs < 500 ? "met in CPU time, not in wall time" : "**not met**"} |`,
    `| — of which front end / plan / codegen (last run, wall) | ${c.stages.front.toFixed(0)} / ${c.stages.plan.toFixed(0)} / ${c.stages.codegen.toFixed(0)} ms | | | |`,
    `| policy.wasm (decision entrypoint) | ${formatCount(c.wasmBytes)} bytes (${formatBytes(c.wasmBytes)}) | | < 100 KB | ${c.wasmBytes < 100_000 ? "met" : "**not met**"} |`,
    "",
  ].join("\n");
}

export function formatMemory(r: MemoryBenchResult): string {
  const lines = [
    "| engine | setData | evaluations | time | linear memory start → end | RSS start → end | heapUsed start → end | linear growth |",
    "|---|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const run of r.runs) {
    const a = run.samples[0]!;
    const z = run.samples[run.samples.length - 1]!;
    const linear = growth(run, (s) => s.linearBytes);
    lines.push(
      `| ${run.engine} | ${run.setDataEvery === 0 ? "never" : `every ${formatCount(run.setDataEvery)}`} | ${formatCount(run.evaluations)} | ${run.seconds.toFixed(1)} s | ` +
        `${formatBytes(a.linearBytes)} → ${formatBytes(z.linearBytes)} | ${formatBytes(a.rssBytes)} → ${formatBytes(z.rssBytes)} | ` +
        `${formatBytes(a.heapUsedBytes)} → ${formatBytes(z.heapUsedBytes)} | ${linear === 0 ? "none (0 bytes)" : `**${formatBytes(linear)}**`} |`,
    );
  }
  lines.push(
    "",
    "Linear memory sampled every 10% of each run: " +
      r.runs
        .map(
          (run) =>
            `${run.engine}${run.setDataEvery === 0 ? "" : ` + setData`}: ` +
            [...new Set(run.samples.map((s) => formatBytes(s.linearBytes)))].join(", "),
        )
        .join("; ") +
      ". RSS and heapUsed at the end are taken after a forced GC.",
    "",
  );
  return lines.join("\n");
}

if (isEntryModule(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const result = await benchMemory(n > 0 ? n : 1_000_000);
  console.log(formatCompile(result.compile));
  console.log(formatMemory(result));
}
