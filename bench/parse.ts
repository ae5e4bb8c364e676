// Parser benchmark: ~10,000 lines of generated Rego written like the policies under
// policies/ (METADATA annotations with rule IDs, partial sets, lookups, functions,
// comprehensions, some/every, else chains), parsed several times; prints the median.
// Run alone with `npx tsx bench/parse.ts`; `benchParse()` returns the figures.
import { parseModule } from "../src/rego/parser.js";
import { clearAnnotationCache } from "../src/rego/annotations.js";
import { isEntryModule } from "../src/cli/entry.js";

export interface ParseBenchResult {
  files: number;
  lines: number;
  bytes: number;
  runs: number;
  /** Median wall time to lex and parse every file once. */
  medianMs: number;
  /** Median CPU time (user + system) of one run: steadier than wall time on a busy machine. */
  cpuMedianMs: number;
  minMs: number;
  maxMs: number;
}

/** One module of about 200 lines in the style of policies/*.rego. */
function policyModule(i: number): string {
  const out = [
    `# Generated concern ${i}: grants and limits for one product area.`,
    `package bench.concern${i}`,
    "",
    "import data.bench.common",
    "",
    `# Actions this concern decides.`,
    "actions := {",
    ...Array.from({ length: 8 }, (_, a) => `\t"area${i}.action${a}",`),
    "}",
  ];
  for (let r = 0; r < 8; r++) {
    const id = `C${i}-${r}`;
    out.push(
      "",
      "# METADATA",
      `# title: ${id} users with the setting on may act`,
      "# description: Granted when the tenant turns the setting on (default off).",
      "# custom:",
      `#   rule_ids: [${id}]`,
      "#   source: seed",
      `grants contains "${id}" if {`,
      `\tinput.action == "area${i}.action${r}"`,
      "\tcommon.is_member",
      `\tcommon.setting("area${i}", "flag${r}")`,
      "}",
      "",
      "# METADATA",
      `# title: ${id} and no others`,
      "# custom:",
      `#   rule_ids: [${id}]`,
      `limits contains "${id}" if {`,
      `\tinput.action == "area${i}.action${r}"`,
      "\tnot common.is_member",
      "}",
      "",
      `allowed_roles${r} := {role | some role in common.roles; role.level >= ${r}}`,
      "",
      `limit${r}(tenant) := n if {`,
      `\tn := object.get(tenant.limits, "area${i}_${r}", 10)`,
      `} else := 0`,
      "",
      `over_limit${r} if count([q | some q in common.tenant.queues; q.owner == input.user.id]) > limit${r}(common.tenant)`,
      "",
      `reasons[id] := msg if {`,
      `\tsome id, rule in common.rules`,
      `\tevery cond in rule.conditions {`,
      `\t\tcond.kind != "veto"`,
      `\t}`,
      `\tmsg := sprintf("%s: %v", [id, rule.title])`,
      "}",
    );
  }
  return out.join("\n") + "\n";
}

/** About `targetLines` lines of Rego split into modules. */
export function generateBenchSources(targetLines = 10_000): string[] {
  const sources: string[] = [];
  let lines = 0;
  for (let i = 0; lines < targetLines; i++) {
    const text = policyModule(i);
    sources.push(text);
    lines += text.split("\n").length - 1;
  }
  return sources;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Parses ~10,000 generated lines `runs` times (after a warm-up) and reports the timings. */
export function benchParse(runs = 9): ParseBenchResult {
  const sources = generateBenchSources();
  const parseAll = (): void => {
    // Measure cold annotation parsing, as for a first `ccpol check` of the sources.
    clearAnnotationCache();
    sources.forEach((text, i) => parseModule(text, `bench/concern${i}.rego`));
  };
  parseAll();
  parseAll();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    parseAll();
    times.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return {
    files: sources.length,
    lines: sources.reduce((n, s) => n + s.split("\n").length - 1, 0),
    bytes: sources.reduce((n, s) => n + s.length, 0),
    runs,
    medianMs: median(times),
    cpuMedianMs: median(cpuTimes),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}

if (isEntryModule(import.meta.url)) {
  const r = benchParse();
  console.log(
    `parse: ${r.lines} lines in ${r.files} files (${(r.bytes / 1024).toFixed(0)} KiB): ` +
      `median ${r.medianMs.toFixed(1)} ms over ${r.runs} runs ` +
      `(min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)}; CPU median ${r.cpuMedianMs.toFixed(1)} ms)`,
  );
}
