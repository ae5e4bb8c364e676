// Front-end benchmark: parses, resolves and checks ~10,000 lines of generated Rego that
// uses the constructs of real policies (imports, sets, objects, functions, comprehensions,
// some/every, else chains). Run alone with `npx tsx bench/check.ts`.
import { parseModule } from "../src/rego/parser.js";
import type { Module } from "../src/rego/ast.js";
import { buildProgramWithDiagnostics } from "../src/compiler/resolve.js";
import { isEntryModule } from "../src/cli/entry.js";

export interface CheckBenchResult {
  files: number;
  lines: number;
  parseMs: number;
  checkMs: number;
  totalMs: number;
  /** Process CPU time (user + system) of parse and check: steadier than wall time on a busy machine. */
  cpuMs: number;
}

/** One generated module of roughly 100 lines (package `bench.p<i>`). */
function generateModule(i: number): string {
  const lines = [
    `package bench.p${i}`,
    "",
    "import data.bench.lib",
    "",
    "default allow := false",
    "",
  ];
  for (let r = 0; r < 6; r++) {
    lines.push(
      `allow if {`,
      `\tsome role in lib.roles_of(input.user)`,
      `\tinput.action in permissions${r}[role]`,
      `\tnot blocked${r}`,
      `}`,
      ``,
      `permissions${r} := {`,
      `\t"admin": {"a.read", "a.write", "b.read"},`,
      `\t"agent": {"a.read"},`,
      `}`,
      ``,
      `blocked${r} if {`,
      `\tcount([u | some u in input.blocked; u == input.user]) > ${r}`,
      `}`,
      ``,
      `reasons contains sprintf("R-${i}-${r}-%s", [k]) if {`,
      `\tsome k, v in input.flags`,
      `\tv == true`,
      `\tevery x in input.limits { x < ${r + 10} }`,
      `}`,
      ``,
    );
  }
  lines.push(
    'level(n) := "high" if { n > 10 } else := "low"',
    "",
    "score := s if {",
    "\tys = [y | y := input.values[_] * 2]",
    "\ts := sum(ys) + level_value",
    "\tlevel_value = count(input.values)",
    "}",
  );
  return lines.join("\n") + "\n";
}

const LIB = [
  "package bench.lib",
  "",
  "roles_of(user) := {r | some a in data.assignments; a.user == user; r := a.role}",
  "",
].join("\n");

export function generateSources(targetLines = 10_000): { file: string; text: string }[] {
  const sources = [{ file: "bench/lib.rego", text: LIB }];
  let lines = LIB.split("\n").length;
  for (let i = 0; lines < targetLines; i++) {
    const text = generateModule(i);
    sources.push({ file: `bench/p${i}.rego`, text });
    lines += text.split("\n").length - 1;
  }
  return sources;
}

export function benchCheck(targetLines = 10_000): CheckBenchResult {
  const sources = generateSources(targetLines);
  const lines = sources.reduce((n, s) => n + s.text.split("\n").length - 1, 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const modules: Module[] = sources.map((s) => parseModule(s.text, s.file));
  const t1 = performance.now();
  const { diagnostics } = buildProgramWithDiagnostics(modules);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (diagnostics.length > 0) {
    throw new Error(`generated policies have errors: ${diagnostics[0]!.message}`);
  }
  return {
    files: sources.length,
    lines,
    parseMs: t1 - t0,
    checkMs: t2 - t1,
    totalMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

export interface CheckSeries {
  /** The first run in the process: module loading and V8's first compilations included. */
  cold: CheckBenchResult;
  /** The run with the median total time, after the warm-up runs. */
  median: CheckBenchResult;
  warmups: number;
  runs: number;
}

/**
 * A cold run, `warmups` more (V8 optimises the front end's hot functions in tiers over the
 * first ten or so runs of this input), then the median of `runs` steady-state runs.
 */
export function benchCheckSeries(warmups = 9, runs = 9): CheckSeries {
  const cold = benchCheck();
  for (let i = 0; i < warmups; i++) benchCheck();
  const measured = Array.from({ length: runs }, () => benchCheck()).sort(
    (a, b) => a.totalMs - b.totalMs,
  );
  return { cold, median: measured[Math.floor(runs / 2)]!, warmups, runs };
}

if (isEntryModule(import.meta.url)) {
  const { cold, median: r, warmups, runs } = benchCheckSeries();
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  console.log(
    `check: ${r.lines} lines in ${r.files} files — median of ${runs} after ${warmups + 1} warm-up runs: ` +
      `parse ${fmt(r.parseMs)}, resolve+check ${fmt(r.checkMs)}, total ${fmt(r.totalMs)}, ` +
      `CPU ${fmt(r.cpuMs)}; first run in the process ${fmt(cold.totalMs)}`,
  );
}
