// Timing helpers shared by the benchmarks: batches of decisions timed with
// process.hrtime.bigint, summarised as median and p99 of the per-decision time of a batch.

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
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
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
  const raw = timeBatchesRaw(items, decide, options);
  return summarize(options.batch, raw.wall, raw.cpu);
}

/** Per-decision wall and CPU nanoseconds of every timed batch. */
function timeBatchesRaw<T>(
  items: readonly T[],
  decide: (item: T) => unknown,
  options: TimingOptions,
): { wall: number[]; cpu: number[] } {
  let sink = 0;
  let next = 0;
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if (decide(items[next]!) !== undefined) sink++;
      next = next + 1 === items.length ? 0 : next + 1;
    }
  };
  run(options.warmup);
  const wall: number[] = [];
  const cpu: number[] = [];
  const budgetNs = BigInt(Math.round(options.budgetMs * 1e6));
  const started = process.hrtime.bigint();
  while (
    wall.length < options.maxSamples &&
    (wall.length < options.minSamples || process.hrtime.bigint() - started < budgetNs)
  ) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    run(options.batch);
    wall.push(Number(process.hrtime.bigint() - t0) / options.batch);
    const c = process.cpuUsage(cpu0);
    cpu.push(((c.user + c.system) * 1000) / options.batch);
  }
  if (sink < 0) throw new Error("unreachable: keeps the sink alive");
  return { wall, cpu };
}

function summarize(batch: number, wall: number[], cpu: number[]): LatencyStats {
  const sorted = [...wall].sort((a, b) => a - b);
  const med = percentile(sorted, 50);
  return {
    batch,
    samples: sorted.length,
    medianNs: med,
    p99Ns: percentile(sorted, 99),
    minNs: sorted[0]!,
    cpuMedianNs: median(cpu),
    perSecond: 1e9 / med,
  };
}

export interface Timed<T> {
  id: string;
  decide: (item: T) => unknown;
  batch: number;
}

export interface PassesOptions {
  /** Rounds over the engine list; each engine is timed once per pass. */
  passes: number;
  /** Timed work per engine and pass (ms), within these sample counts. */
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
  /** Called before each engine's stretch (progress reporting). */
  onStart?: (pass: number, id: string) => void;
}

/**
 * Times several engines over the same items in passes: in each pass every engine runs a
 * warm-up and a timed stretch of batches, in turn. Spreading each engine over the whole run
 * makes load changes on a shared machine hit every engine alike, so ratios stay comparable.
 * (Finer interleaving — one batch of each engine per round — made V8 20.x abort in its
 * deoptimizer here, so the unit of interleaving is a stretch, each timed by `timeBatches`.)
 */
export function timeInPasses<T>(
  items: readonly T[],
  engines: readonly Timed<T>[],
  options: PassesOptions,
): Map<string, LatencyStats> {
  const wall = new Map(engines.map((e) => [e.id, [] as number[]]));
  const cpu = new Map(engines.map((e) => [e.id, [] as number[]]));
  for (let pass = 0; pass < options.passes; pass++) {
    for (const e of engines) {
      options.onStart?.(pass, e.id);
      const raw = timeBatchesRaw(items, e.decide, {
        batch: e.batch,
        budgetMs: options.budgetMs,
        minSamples: Math.ceil(options.minSamples / options.passes),
        maxSamples: Math.ceil(options.maxSamples / options.passes),
        warmup: pass === 0 ? e.batch * 5 : e.batch,
      });
      wall.get(e.id)!.push(...raw.wall);
      cpu.get(e.id)!.push(...raw.cpu);
    }
  }
  return new Map(
    engines.map((e) => [e.id, summarize(e.batch, wall.get(e.id)!, cpu.get(e.id)!)] as const),
  );
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
