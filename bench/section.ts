// One benchmark of `make bench`, run in its own process by bench/run.ts:
// `tsx bench/section.ts <name> <out.json>` writes the benchmark's result as JSON. Only the
// named benchmark's module is loaded, so a child starts quickly and with a fresh heap.
import { writeFileSync } from "node:fs";

/** The benchmarks run.ts knows, each loading its own module on demand. */
export const SECTIONS = {
  parseCheck: async () => {
    const [{ benchParse }, { benchCheckSeries }] = await Promise.all([
      import("./parse.js"),
      import("./check.js"),
    ]);
    return { parse: benchParse(), check: benchCheckSeries() };
  },
  engines: async () => (await import("./engines.js")).benchEngines(),
  memory: async () => (await import("./memory.js")).benchMemory(),
  scaling: async () => (await import("./scaling.js")).benchScaling(),
  ruleIndex: async () => (await import("./rule-index.js")).benchRuleIndex([10, 100, 1000]),
  rules: async () => (await import("./scaling.js")).benchRuleScaling(),
  review: async () => (await import("./review.js")).benchReview(),
} as const;

export type SectionName = keyof typeof SECTIONS;

async function main(name: string | undefined, out: string | undefined): Promise<number> {
  if (name === undefined || out === undefined || !(name in SECTIONS)) {
    console.error(`usage: section.ts <${Object.keys(SECTIONS).join("|")}> <out.json>`);
    return 2;
  }
  try {
    const result = await SECTIONS[name as SectionName]();
    writeFileSync(out, JSON.stringify(result));
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

if (/section\.[jt]s$/.test(process.argv[1] ?? "")) {
  process.exitCode = await main(process.argv[2], process.argv[3]);
}
