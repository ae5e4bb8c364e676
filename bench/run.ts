// `make bench`: runs every benchmark of bench/ in one process and rewrites bench/RESULTS.md
// with every figure, the targets beside them, the machine and the date. A benchmark that
// fails (for instance an engine that disagrees with the project) is reported in RESULTS.md
// and makes the run exit non-zero; the others still run.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import type { SectionName } from "./section.js";
import type { ParseBenchResult } from "./parse.js";
import type { CheckSeries } from "./check.js";
import { formatRuleIndex } from "./rule-index.js";
import { formatReview, type ReviewBenchResult } from "./review.js";
import { formatEngines, type EngineRow, type EnginesBenchResult } from "./engines.js";
import { formatCompile, formatMemory, type MemoryBenchResult } from "./memory.js";
import { formatRuleScaling, formatScaling, type RuleScalingRow } from "./scaling.js";
import { formatBytes, formatNs } from "./stats.js";

interface Section {
  title: string;
  body: string;
  ok: boolean;
}

// Relative to the working directory (make runs from the root), so the tsx and the compiled
// runs both rewrite the committed bench/RESULTS.md.
const RESULTS = join("bench", "RESULTS.md");

/** A child whose resident memory passes this is killed: the machine is shared. */
const CHILD_RSS_LIMIT = 8 * 1024 ** 3;

function residentBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Runs one benchmark in a child process (same Node flags, so tsx too) and returns its
 * result. Each benchmark gets a fresh heap and JIT state: figures do not depend on what ran
 * before, and a crash of one costs only its section. A watchdog kills a child that passes
 * CHILD_RSS_LIMIT of resident memory or its time limit (V8 has been seen taking 20 GB to
 * tier up a 10,000-body function here, and the OOM killer then picks any process).
 */
function inChild<T>(
  name: SectionName,
  limitSeconds: number,
  nodeFlags: readonly string[] = [],
): Promise<T> {
  const out = join(mkdtempSync(join(tmpdir(), "ccpol-bench-")), "result.json");
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      ...process.execArgv,
      // section.ts beside run.ts under tsx, section.js beside run.js when compiled.
      fileURLToPath(
        new URL(`./section${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
      ),
      name,
      out,
    ],
    { stdio: ["ignore", "inherit", "pipe"] },
  );
  let stderr = "";
  let killedFor: string | undefined;
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const started = Date.now();
  let peak = 0;
  const watchdog = setInterval(() => {
    peak = Math.max(peak, residentBytes(child.pid ?? -1) ?? 0);
    if (peak > CHILD_RSS_LIMIT)
      killedFor = `resident memory passed ${formatBytes(CHILD_RSS_LIMIT)}`;
    else if (Date.now() - started > limitSeconds * 1000) killedFor = `ran past ${limitSeconds} s`;
    if (killedFor !== undefined) child.kill("SIGKILL");
  }, 250);
  return new Promise<T>((resolve, reject) => {
    child.on("close", (code, signal) => {
      clearInterval(watchdog);
      try {
        if (code !== 0) {
          const tail = stderr.trim().split("\n").slice(-60).join("\n");
          const why = killedFor === undefined ? `exit ${code ?? signal}` : `killed: ${killedFor}`;
          reject(
            new ChildFailure(`${why}${tail === "" ? "" : `:\n${tail}`}`, isV8Abort(signal, stderr)),
          );
        } else {
          resolve(JSON.parse(readFileSync(out, "utf8")) as T);
        }
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        rmSync(dirname(out), { recursive: true, force: true });
      }
    });
  });
}

class ChildFailure extends Error {
  override name = "ChildFailure";
  constructor(
    message: string,
    /** V8 aborted (SIGTRAP, "Fatal error"): a crash of the engine, not of the benchmark. */
    readonly v8Abort: boolean,
  ) {
    super(message);
  }
}

function isV8Abort(signal: NodeJS.Signals | null, stderr: string): boolean {
  return signal === "SIGTRAP" && stderr.includes("Fatal error");
}

/** Attempts per section when V8 itself aborts (seen in its deoptimizer on Node 20.20). */
const ATTEMPTS = 3;

/**
 * Flags for a retry after a V8 abort. The abort (Deoptimizer::DoComputeBuiltinContinuation)
 * came while timing cedar-wasm, whose bindings make many small JS→Wasm calls; a retry
 * turns off TurboFan's inlining of JS→Wasm calls, the builtin frames that deopt rebuilds.
 */
const RETRY_FLAGS = ["--no-turbo-inline-js-wasm-calls"];

async function section<T>(
  title: string,
  name: SectionName,
  format: (r: T) => string,
  limitSeconds = 240,
): Promise<{ section: Section; result?: T }> {
  const t0 = performance.now();
  process.stdout.write(`bench: ${title} … `);
  const aborts: string[] = [];
  try {
    let result: T | undefined;
    while (result === undefined) {
      try {
        result = await inChild<T>(name, limitSeconds, aborts.length === 0 ? [] : RETRY_FLAGS);
      } catch (err) {
        if (!(err instanceof ChildFailure && err.v8Abort) || aborts.length + 1 >= ATTEMPTS)
          throw err;
        aborts.push(err.message.split("\n").find((l) => l.includes("Deoptimizer")) ?? "");
        process.stdout.write("(V8 aborted, retrying) … ");
      }
    }
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`${seconds} s`);
    const retried =
      aborts.length === 0
        ? ""
        : ` — ${aborts.length} earlier attempt(s) aborted inside V8 (SIGTRAP, "Fatal error … unreachable code"` +
          `${aborts[0] === "" ? "" : `, in ${aborts[0]!.trim().replace(/^\d+: \S+\s+/, "")}`}), a Node ${process.version} ` +
          `engine crash; the figures are from the attempt that completed, run with ${RETRY_FLAGS.join(" ")}`;
    return {
      section: {
        title,
        body: `${withoutHeading(format(result)).trimEnd()}\n\n_(this section took ${seconds} s${retried})_\n`,
        ok: true,
      },
      result,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.log("FAILED");
    console.error(message);
    return {
      section: { title, body: `**FAILED:**\n\n\`\`\`\n${message}\n\`\`\`\n`, ok: false },
    };
  }
}

/** Formatters that open with their own `##` heading get the section's heading instead. */
function withoutHeading(text: string): string {
  return text.startsWith("## ") ? text.slice(text.indexOf("\n") + 1).trimStart() : text;
}

function formatParseCheck(r: { parse: ParseBenchResult; check: CheckSeries }): string {
  const c = r.check.median;
  const cold = r.check.cold;
  return [
    "| measure | figure | target | |",
    "|---|---:|---:|---|",
    `| parse ${r.parse.lines.toLocaleString("en-US")} lines (${r.parse.files} files), median of ${r.parse.runs} | ${r.parse.medianMs.toFixed(1)} ms (CPU ${r.parse.cpuMedianMs.toFixed(1)} ms) | | |`,
    `| parse + resolve + check ${c.lines.toLocaleString("en-US")} lines (${c.files} files), steady state: median of ${r.check.runs} after ${r.check.warmups + 1} warm-up runs | ${c.totalMs.toFixed(1)} ms (CPU ${c.cpuMs.toFixed(1)} ms; parse ${c.parseMs.toFixed(1)}, check ${c.checkMs.toFixed(1)}) | < 100 ms | ${c.totalMs < 100 ? "met" : c.cpuMs < 100 ? "met in CPU time only" : "**not met**"} |`,
    `| the same, first run in a fresh process (module loading and V8's first compilations included; what one \`ccpol check\` of such a tree costs) | ${cold.totalMs.toFixed(1)} ms (CPU ${cold.cpuMs.toFixed(1)} ms) | | |`,
    "",
  ].join("\n");
}

interface Results {
  parseCheck?: { parse: ParseBenchResult; check: CheckSeries };
  engines?: EnginesBenchResult;
  memory?: MemoryBenchResult;
  rules?: readonly RuleScalingRow[];
  review?: ReviewBenchResult;
}

interface TargetRow {
  target: string;
  measured: string;
  met: boolean;
  /** Why a met target deserves a caveat. */
  note?: string;
}

function targetRows(r: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  const engine = (id: string) => r.engines?.rows.find((x) => x.id === id);
  const ratio = (x: EngineRow) =>
    `${x.ratioToMap.toFixed(1)}x wall, ${x.cpuRatioToMap.toFixed(1)}x CPU`;
  // What a call costs before any policy work, beside each per-decision target.
  const callCost = (id: string, who: string): string => {
    const call = engine(id);
    return call === undefined
      ? ""
      : `; ${who} on a one-line policy alone: ${call.ratioToMap.toFixed(1)}x`;
  };
  const sdk = engine("sdk");
  if (sdk !== undefined) {
    rows.push({
      target: "(1) SDK `evaluate` <= 8x the Map",
      measured: ratio(sdk) + callCost("sdk-call", "the SDK"),
      met: sdk.ratioToMap <= 8,
    });
  }
  const host = engine("host");
  if (host !== undefined) {
    rows.push({
      target: "(2) host path <= 2x the Map — cache off, every decision evaluated",
      measured: ratio(host) + callCost("host-call", "the host"),
      met: host.ratioToMap <= 2,
    });
  }
  const cached = engine("host-cached");
  if (cached !== undefined) {
    rows.push({
      target: "(2) host path <= 2x the Map — default exact decision cache, warm",
      measured: ratio(cached),
      met: cached.ratioToMap <= 2,
      note: "only because a warm cache is itself a map; a first-seen request costs the cache-off figure",
    });
  }
  if (r.memory !== undefined) {
    const c = r.memory.compile;
    rows.push({
      target: "compile of policies/ < 500 ms (warm, in-process)",
      measured: `${c.warmMedianMs.toFixed(0)} ms wall, ${c.warmCpuMedianMs.toFixed(0)} ms CPU (first compile ${c.firstMs.toFixed(0)} ms)`,
      met: c.warmMedianMs < 500,
    });
    rows.push({
      target: "policy.wasm < 100 KB",
      measured: `${formatBytes(c.wasmBytes)} (${c.wasmBytes} bytes)`,
      met: c.wasmBytes < 100_000,
    });
    for (const run of r.memory.runs) {
      const a = run.samples[0]!;
      const z = run.samples[run.samples.length - 1]!;
      rows.push({
        target: `no memory growth: ${run.evaluations.toLocaleString("en-US")} evaluations, ${run.engine}, setData ${run.setDataEvery === 0 ? "never" : `every ${run.setDataEvery}`}`,
        measured: `linear ${formatBytes(a.linearBytes)} → ${formatBytes(z.linearBytes)}; RSS ${formatBytes(z.rssBytes - a.rssBytes)}, heapUsed ${formatBytes(z.heapUsedBytes - a.heapUsedBytes)} change`,
        met: z.linearBytes === a.linearBytes,
      });
    }
  }
  const indexed = r.rules?.filter((x) => x.indexed && x.evalNs !== undefined) ?? [];
  if (indexed.length >= 2) {
    const first = indexed[0]!;
    const last = indexed[indexed.length - 1]!;
    const x = last.evalNs! / first.evalNs!;
    rows.push({
      target: `rule-index latency flat within 2x from ${first.rules} to ${last.rules} rules`,
      measured: `${formatNs(first.evalNs!)} → ${formatNs(last.evalNs!)} (${x.toFixed(2)}x)`,
      met: x <= 2,
    });
  }
  if (r.review !== undefined) {
    rows.push({
      target: "decision diff < 5 s",
      measured: `${(r.review.ms / 1000).toFixed(2)} s`,
      met: r.review.ms < 5000,
    });
  }
  if (r.parseCheck !== undefined) {
    const c = r.parseCheck.check.median;
    rows.push({
      target: "parse + check of 10,000 lines < 100 ms (steady state)",
      measured: `${c.totalMs.toFixed(1)} ms wall, ${c.cpuMs.toFixed(1)} ms CPU (${c.lines} lines); first run in a fresh process ${r.parseCheck.check.cold.totalMs.toFixed(1)} ms`,
      met: c.totalMs < 100,
    });
  }
  return rows;
}

function summary(r: Results): string {
  const rows = targetRows(r);
  const lines = [
    "| target | measured | |",
    "|---|---|---|",
    ...rows.map(
      (x) =>
        `| ${x.target} | ${x.measured} | ${x.met ? (x.note === undefined ? "met" : `met — ${x.note}`) : "**not met**"} |`,
    ),
    "",
  ];
  const short = rows.filter((x) => !x.met);
  lines.push(
    short.length === 0
      ? "Every target was met in this run."
      : `Where the project falls short in this run: ${short.map((x) => `${x.target} (measured ${x.measured})`).join("; ")}.`,
    "",
  );
  return lines.join("\n");
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const load = loadavg().map((x) => x.toFixed(1));
  return (
    `${availableParallelism()} cores (${cpu}), ${formatBytes(totalmem())} RAM, Node ${process.version}, ` +
    `${process.platform}/${process.arch}; load average at the end of the run ${load.join(" / ")} (1/5/15 min)`
  );
}

async function main(): Promise<number> {
  const started = performance.now();
  const startLoad = loadavg()[0]!;
  const sections: Section[] = [];
  const parseCheck = await section(
    "Front end: parse and check of ~10,000 lines",
    "parseCheck",
    formatParseCheck,
  );
  sections.push(parseCheck.section);
  const engines = await section(
    "Contact-center decision mix on the project and peer engines",
    "engines",
    formatEngines,
  );
  sections.push(engines.section);
  const memory = await section(
    "Compile time, module size, memory over one million evaluations",
    "memory",
    (r: MemoryBenchResult) => `${formatCompile(r.compile)}\n${formatMemory(r)}`,
  );
  sections.push(memory.section);
  sections.push(
    (await section("Scaling with the data (users, queues)", "scaling", formatScaling)).section,
  );
  const rules = await section(
    "Scaling with the rules: compile time, bundle size, latency (10 to 10,000 rules)",
    "rules",
    formatRuleScaling,
    300,
  );
  sections.push(rules.section);
  sections.push(
    (
      await section(
        "Rule-index benchmark (bench/rule-index.ts, 10 to 1,000 rules) and module size per entrypoint set",
        "ruleIndex",
        formatRuleIndex,
      )
    ).section,
  );
  const review = await section("Decision diff", "review", formatReview);
  sections.push(review.section);

  const minutes = (performance.now() - started) / 60000;
  const doc = [
    "# Benchmark results",
    "",
    "Written by `make bench` (the compiled `dist/bench/run.js`); every figure below comes from that one run. " +
      "See bench/README.md for what each benchmark does and how the peer engines model the catalog.",
    "",
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machine()}; load average at the start ${startLoad.toFixed(1)}.`,
    `- Whole run (benchmarks only, after \`make build\`): ${minutes.toFixed(1)} minutes.`,
    "",
    "Wall-clock figures are sensitive to other work on the machine (a load average above the core " +
      "count means other processes competed for the CPU); CPU-time figures count this process only and " +
      "are steadier, so both are given where it matters.",
    "",
    "## Targets",
    "",
    summary({
      parseCheck: parseCheck.result,
      engines: engines.result,
      memory: memory.result,
      rules: rules.result,
      review: review.result,
    }),
    ...sections.map((s) => `## ${s.title}\n\n${s.body}`),
  ].join("\n");
  writeFileSync(RESULTS, doc);
  console.log(`bench: wrote bench/RESULTS.md in ${minutes.toFixed(1)} minutes`);
  return sections.every((s) => s.ok) ? 0 : 1;
}

process.exitCode = await main();
