// The differential fuzzing loop: generate cases the front end accepts, run them in batches
// on both engines, collect mismatches (the first per case), and shrink a few of them.
import { CaseGenerator, type GenCase } from "./generate.js";
import { frontEndError, runBatch, type DiffOptions, type Mismatch } from "./diff.js";
import { shrink } from "./shrink.js";

export interface FuzzOptions extends DiffOptions {
  seed: number;
  cases: number;
  /** Cases compiled into one Wasm module. */
  batch?: number;
  onBatch?: (progress: FuzzProgress) => void;
}

export interface FuzzProgress {
  cases: number;
  entrypoints: number;
  rejected: number;
  mismatchingCases: number;
  seconds: number;
}

export interface FuzzResult extends FuzzProgress {
  /** The first mismatching entrypoint of every mismatching case, in case order. */
  mismatches: FoundMismatch[];
  /** Front-end rejections by `code: message` (a high count means the generator is wrong). */
  rejections: Map<string, number>;
}

export interface FoundMismatch extends Mismatch {
  /** Case number within the run (0-based): `--seed S` reproduces it. */
  caseNumber: number;
  /** Whether its batch folded constant rules (DiffOptions.fold). */
  fold: boolean;
}

/** Generates `count` cases the front end accepts, counting the rejected ones. */
function acceptedCases(
  gen: CaseGenerator,
  count: number,
  rejections: Map<string, number>,
): { cases: GenCase[]; rejected: number } {
  const cases: GenCase[] = [];
  let rejected = 0;
  while (cases.length < count) {
    const c = gen.generate();
    const err = frontEndError(c);
    if (err === undefined) {
      cases.push(c);
      continue;
    }
    rejected++;
    const d = err.diagnostics[0];
    // Grouped by the kind of problem, without the types and variable names of the instance.
    const message = d?.message.replace(/: have \(.*$/s, "").replace(/\b[xkawq]\d+\b/g, "<var>");
    const key = d ? `${d.code}: ${message}` : "?";
    rejections.set(key, (rejections.get(key) ?? 0) + 1);
  }
  return { cases, rejected };
}

/** A package-document mismatch repeats a rule's; prefer the rule for a smaller reproducer. */
function preferRule(ms: readonly Mismatch[]): Mismatch | undefined {
  return ms.find((m) => m.entrypoint.includes("/")) ?? ms[0];
}

export function runFuzz(opts: FuzzOptions): FuzzResult {
  const started = performance.now();
  const gen = new CaseGenerator(opts.seed);
  const batchSize = Math.max(1, opts.batch ?? 200);
  const rejections = new Map<string, number>();
  const mismatches: FoundMismatch[] = [];
  let batches = 0;
  const progress: FuzzProgress = {
    cases: 0,
    entrypoints: 0,
    rejected: 0,
    mismatchingCases: 0,
    seconds: 0,
  };
  while (progress.cases < opts.cases) {
    const n = Math.min(batchSize, opts.cases - progress.cases);
    const { cases, rejected } = acceptedCases(gen, n, rejections);
    // Every other batch folds constant rules, so both compile modes meet the generator.
    const batchOpts = { ...opts, fold: opts.fold ?? batches++ % 2 === 1 };
    const result = runBatch(cases, batchOpts);
    const byCase = new Map<GenCase, Mismatch[]>();
    for (const m of result.mismatches)
      byCase.set(m.fuzzCase, [...(byCase.get(m.fuzzCase) ?? []), m]);
    cases.forEach((c, i) => {
      const m = preferRule(byCase.get(c) ?? []);
      if (m !== undefined)
        mismatches.push({ ...m, caseNumber: progress.cases + i, fold: batchOpts.fold });
    });
    progress.cases += n;
    progress.entrypoints += result.compared;
    progress.rejected += rejected;
    progress.mismatchingCases = mismatches.length;
    progress.seconds = (performance.now() - started) / 1000;
    opts.onBatch?.({ ...progress });
  }
  return { ...progress, mismatches, rejections };
}

/** A rough grouping of mismatches, so that one reproducer is shrunk per kind. */
export function mismatchKind(m: Mismatch): string {
  const side = (o: Mismatch["wasm"]): string => {
    if (o.kind === "error") return `error ${o.code}`;
    if (o.kind === "crash") return `crash ${o.message.slice(0, 60)}`;
    return o.kind;
  };
  return `evaluator ${side(m.evaluator)} / wasm ${side(m.wasm)}`;
}

/** Shrinks the first mismatch of each kind (at most `limit`). */
export function shrinkByKind(
  mismatches: readonly FoundMismatch[],
  limit: number,
  opts: DiffOptions = {},
): FoundMismatch[] {
  const seen = new Set<string>();
  const out: FoundMismatch[] = [];
  for (const m of mismatches) {
    const kind = mismatchKind(m);
    if (seen.has(kind) || out.length >= limit) continue;
    seen.add(kind);
    out.push({ ...shrink(m, { ...opts, fold: m.fold }), caseNumber: m.caseNumber, fold: m.fold });
  }
  return out;
}
