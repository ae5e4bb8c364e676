// Differential fuzzing of the two Rego engines: random well-formed modules with random data
// and input run on the compiled Wasm module and on the reference evaluator; every
// entrypoint must agree (value, undefined, or error code and location). Mismatches are
// shrunk (one per kind) and printed as ready-to-paste cases for test/rego/*.yaml; the run
// exits 1 when there is any.
//
//   npm run fuzz:diff -- --cases 100000 --seed 1 [--batch 200] [--shrink 5] [--optimize]
import { parseArgs } from "node:util";
import { mismatchKind, runFuzz, shrinkByKind } from "../test/fuzz/run.js";
import { reproducerYaml } from "../test/fuzz/report.js";
import { outcomeText } from "../test/fuzz/diff.js";

function main(): number {
  const { values } = parseArgs({
    options: {
      cases: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      batch: { type: "string", default: "200" },
      shrink: { type: "string", default: "5" },
      optimize: { type: "boolean", default: false },
    },
  });
  const cases = Number(values.cases);
  const seed = Number(values.seed);
  const batch = Number(values.batch);
  const shrinkLimit = Number(values.shrink);
  if (![cases, seed, batch, shrinkLimit].every(Number.isInteger)) {
    console.error("--cases, --seed, --batch and --shrink take integers");
    return 2;
  }
  console.log(`fuzz:diff seed ${seed}, ${cases} cases, ${batch} per module`);
  const result = runFuzz({
    seed,
    cases,
    batch,
    optimize: values.optimize,
    onBatch: (p) =>
      console.log(
        `  ${p.cases} cases, ${p.entrypoints} entrypoints, ${p.mismatchingCases} mismatching, ` +
          `${p.rejected} rejected, ${p.seconds.toFixed(0)} s (${(p.cases / p.seconds).toFixed(1)} cases/s)`,
      ),
  });
  console.log(
    `done: ${result.cases} cases, ${result.entrypoints} entrypoints compared, ` +
      `${result.mismatchingCases} mismatching cases, ${result.rejected} generated programs ` +
      `rejected by the checker, ${result.seconds.toFixed(1)} s ` +
      `(${(result.cases / result.seconds).toFixed(1)} cases/s)`,
  );
  const reasons = [...result.rejections].sort((a, b) => b[1] - a[1]);
  for (const [reason, n] of reasons.slice(0, 10)) console.log(`  rejected ${n}x: ${reason}`);
  if (reasons.length > 10) console.log(`  ... and ${reasons.length - 10} more kinds of rejection`);
  if (result.mismatches.length === 0) return 0;

  const kinds = new Map<string, number>();
  for (const m of result.mismatches)
    kinds.set(mismatchKind(m), (kinds.get(mismatchKind(m)) ?? 0) + 1);
  console.log("\nmismatching cases by kind:");
  for (const [kind, n] of kinds) console.log(`  ${n}x ${kind}`);
  console.log("\nfirst mismatches:");
  for (const m of result.mismatches.slice(0, 20)) {
    console.log(
      `  case ${m.caseNumber} ${m.entrypoint}: evaluator ${outcomeText(m.evaluator)} | wasm ${outcomeText(m.wasm)}`,
    );
  }
  console.log(`\nreproducers (shrunk, one per kind, at most ${shrinkLimit}):\n`);
  for (const m of shrinkByKind(result.mismatches, shrinkLimit, { optimize: values.optimize })) {
    console.log(reproducerYaml(m, `fuzz seed ${seed} case ${m.caseNumber}`));
    console.log("");
  }
  return 1;
}

process.exitCode = main();
