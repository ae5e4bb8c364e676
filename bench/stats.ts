// Timing helpers shared by the benchmarks: batches of decisions timed with
// process.hrtime.bigint, summarised as median and p99 of the per-decision time of a batch.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface LatencyStats {
  /** Decisions per timed sample. */
  batch: number;
  samples: number;
  /** Nanoseconds per decision: median and 99th percentile over the samples. */
  medianNs: number;
  p99Ns: number;
  minNs: number;
  /**
   * Median process CPU time (user + system) per decision: steadier than wall time when
   * other work shares the cores (it counts this process only, GC threads included).
   */
  cpuMedianNs: number;
  /** Decisions per second at the median. */
  perSecond: number;
}

export interface TimingOptions {
  batch: number;
  /** Stop sampling after this much timed work (ms)… */
  budgetMs: number;
  /** …but take at least this many samples, and at most this many. */
  minSamples: number;
  maxSamples: number;
  /** Decisions run before timing (JIT, caches). */
  warmup: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/**
 * Times `decide` over `items` (cycled) in batches. The result of every call feeds a sink
 * so that no engine's work can be optimised away.
 */
export function timeBatches<T>(
  items: readonly T[],
  decide: (item: T) => unknown,
  options: TimingOptions,
): LatencyStats {
  let sink = 0;
  let next = 0;
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if (decide(items[next]!) !== undefined) sink++;
      next = next + 1 === items.length ? 0 : next + 1;
    }
  };
  run(options.warmup);
  const perDecision: number[] = [];
  const cpuPerDecision: number[] = [];
  const budgetNs = BigInt(Math.round(options.budgetMs * 1e6));
  const started = process.hrtime.bigint();
  while (
    perDecision.length < options.maxSamples &&
    (perDecision.length < options.minSamples || process.hrtime.bigint() - started < budgetNs)
  ) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    run(options.batch);
    perDecision.push(Number(process.hrtime.bigint() - t0) / options.batch);
    const cpu = process.cpuUsage(cpu0);
    cpuPerDecision.push(((cpu.user + cpu.system) * 1000) / options.batch);
  }
  if (sink < 0) throw new Error("unreachable: keeps the sink alive");
  const sorted = perDecision.sort((a, b) => a - b);
  const med = percentile(sorted, 50);
  return {
    batch: options.batch,
    samples: sorted.length,
    medianNs: med,
    p99Ns: percentile(sorted, 99),
    minNs: sorted[0]!,
    cpuMedianNs: median(cpuPerDecision),
    perSecond: 1e9 / med,
  };
}

export interface Timed<T> {
  id: string;
  decide: (item: T) => unknown;
  batch: number;
}

export interface InterleavedOptions {
  /** Stop after this much wall time (ms) once every engine has `minSamples` samples. */
  budgetMs: number;
  minSamples: number;
  maxRounds: number;
}

/**
 * Times several engines over the same items, one batch of each per round, so that a load
 * change on a shared machine hits every engine alike and the ratios stay comparable. Each
 * engine is warmed up (5 batches) before the first round.
 */
export function timeInterleaved<T>(
  items: readonly T[],
  engines: readonly Timed<T>[],
  options: InterleavedOptions,
): Map<string, LatencyStats> {
  let sink = 0;
  const cursors = new Map(engines.map((e) => [e.id, 0]));
  const run = (e: Timed<T>, n: number): void => {
    let next = cursors.get(e.id)!;
    for (let i = 0; i < n; i++) {
      if (e.decide(items[next]!) !== undefined) sink++;
      next = next + 1 === items.length ? 0 : next + 1;
    }
    cursors.set(e.id, next);
  };
  for (const e of engines) run(e, e.batch * 5);
  const wall = new Map(engines.map((e) => [e.id, [] as number[]]));
  const cpu = new Map(engines.map((e) => [e.id, [] as number[]]));
  const budgetNs = BigInt(Math.round(options.budgetMs * 1e6));
  const started = process.hrtime.bigint();
  for (
    let round = 0;
    round < options.maxRounds &&
    (round < options.minSamples || process.hrtime.bigint() - started < budgetNs);
    round++
  ) {
    for (const e of engines) {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      run(e, e.batch);
      wall.get(e.id)!.push(Number(process.hrtime.bigint() - t0) / e.batch);
      const c = process.cpuUsage(cpu0);
      cpu.get(e.id)!.push(((c.user + c.system) * 1000) / e.batch);
    }
  }
  if (sink < 0) throw new Error("unreachable: keeps the sink alive");
  const out = new Map<string, LatencyStats>();
  for (const e of engines) {
    const sorted = wall.get(e.id)!.sort((a, b) => a - b);
    const med = percentile(sorted, 50);
    out.set(e.id, {
      batch: e.batch,
      samples: sorted.length,
      medianNs: med,
      p99Ns: percentile(sorted, 99),
      minNs: sorted[0]!,
      cpuMedianNs: median(cpu.get(e.id)!),
      perSecond: 1e9 / med,
    });
  }
  return out;
}

/** Deterministic shuffle (xorshift), so every engine sees the same order in every run. */
export function shuffled<T>(items: readonly T[], seed = 0x9e3779b9): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function formatBytes(n: number): string {
  if (Math.abs(n) >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (Math.abs(n) >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** True when the calling module is the script node was started with. */
export function isMainModule(url: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}
