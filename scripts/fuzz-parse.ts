// Parser fuzzing: random token soups, deep nesting and mutations of real policies. For
// every input the parser must return a Module or throw a DiagnosticError located inside
// the text; a module that parses must also format to text that parses back the same and
// formats identically. Anything else (another exception, a stack overflow, a hang of more
// than a second) is reported and the run exits 1.
//
//   npm run fuzz:parse -- --cases 100000 --seed 7
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { KEYWORDS, parseModule } from "../src/rego/parser.js";
import { formatModule } from "../src/rego/format.js";
import { DiagnosticError } from "../src/diagnostics/diagnostic.js";
import { generateModule } from "../test/parse/generate.js";
import { rng } from "../test/support/random.js";
import { normalizeModule } from "../test/parse/ast-helpers.js";
import { isDeepStrictEqual } from "node:util";
import { PUNCT } from "../src/rego/lexer.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Small modules covering constructs the corpus files may not have. */
const SAMPLES = [
  'package s\n\nimport rego.v1\n\ndefault allow := false\n\nallow if {\n\tsome r in input.roles\n\tr == "admin"\n}\n',
  'package s\n\ndeny contains msg if {\n\tnot input.user\n\tmsg := sprintf("%v", [input])\n}\n',
  'package s\n\np[k] := v if {\n\tsome k, v in {"a": 1}\n}\n\nf(x) := y if {\n\ty := x * 2\n} else := 0\n',
  "package s\n\nx := [y | some y in [1, 2, 3]; y > 1]\n\ns := {y | y := input.a[_]}\n\no := {k: 1 | some k in input.keys}\n",
  'package s\n\nok if every x in input.xs { x > 0 }\n\nq := `raw` + "\\u00e9\\n"\n\nn := -1.5e10\n',
  "package s\n\n# METADATA\n# title: t\n# custom:\n#   rule_ids: [R1]\nallow if input.a with input as {} with data.x as 1\n",
  "package s\n\na.b[c].d contains e if {\n\tc := 1\n\te := {1, 2} | {3} & set()\n}\n",
];

// Keywords and punctuation come from the parser and lexer themselves; the rest are the
// identifiers, literals, comments and junk a policy author (or a typo) can produce.
const SOUP = [
  ...KEYWORDS,
  ...PUNCT,
  "p",
  "x",
  "_",
  "input",
  "data.a",
  "\n",
  "\n",
  " ",
  "\t",
  "1",
  "2.5e3",
  "99999999999999999999999",
  '"s"',
  '"\\u00e9"',
  '"\\ud83d\\ude00"',
  '"unterminated',
  '"bad\\q"',
  "`raw`",
  "`open",
  "# comment\n",
  "# METADATA\n# title: x\n",
  "# METADATA\n# title: [\n",
  "set()",
  "f(",
  "😀",
  "é",
  "!",
  "@",
  "\r\n",
];

export interface FuzzFailure {
  index: number;
  input: string;
  problem: string;
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Index of the first case (for resuming after a hang). */
  start?: number;
}

function loadCorpus(): string[] {
  const texts = [...SAMPLES];
  for (const dir of ["policies", "test"]) {
    let files: string[];
    try {
      files = readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" });
    } catch {
      continue;
    }
    for (const f of files.filter((x) => x.endsWith(".rego")).sort()) {
      texts.push(readFileSync(join(ROOT, dir, f), "utf8"));
    }
  }
  for (let seed = 1; seed <= 20; seed++) texts.push(generateModule(seed, 6));
  return texts;
}

/** Splits text into words, single punctuation characters and whitespace runs. */
function roughTokens(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\s+|"(?:[^"\\\n]|\\.)*"|./gsu) ?? [];
}

class InputMaker {
  private readonly r: () => number;

  constructor(
    seed: number,
    private readonly corpus: readonly string[],
  ) {
    this.r = rng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  make(): string {
    const kind = this.r();
    if (kind < 0.25) return this.soup();
    if (kind < 0.3) return this.deepNesting();
    return this.mutation();
  }

  private soup(): string {
    const parts = this.r() < 0.5 ? ["package x\n"] : [];
    const n = 1 + this.int(60);
    for (let i = 0; i < n; i++) {
      parts.push(this.pick(SOUP));
      if (this.r() < 0.5) parts.push(" ");
    }
    return parts.join("");
  }

  private deepNesting(): string {
    const unit = this.pick([
      "[",
      "(",
      "{",
      "-",
      "[x | ",
      "{1: ",
      "f(",
      "not ",
      "a[",
      "every x in y { ",
      "1 + ",
      "x == ",
      "a | ",
      "- -",
    ]);
    const n = 1 + this.int(3000);
    const close = this.r() < 0.5 ? "" : this.pick(["]", ")", "}"]).repeat(n);
    return `package x\np := ${unit.repeat(n)}1${close}\n`;
  }

  private mutation(): string {
    const tokens = roughTokens(this.pick(this.corpus));
    const rounds = 1 + this.int(4);
    for (let i = 0; i < rounds && tokens.length > 0; i++) this.mutateOnce(tokens);
    return tokens.join("");
  }

  private mutateOnce(tokens: string[]): void {
    const at = this.int(tokens.length);
    switch (this.int(8)) {
      case 0:
        tokens.splice(at, 1);
        break;
      case 1:
        tokens.splice(at, 0, this.pick(SOUP));
        break;
      case 2:
        tokens.splice(at, 0, tokens[at] as string);
        break;
      case 3: {
        const other = this.int(tokens.length);
        [tokens[at], tokens[other]] = [tokens[other] as string, tokens[at] as string];
        break;
      }
      case 4: {
        const t = tokens[at] as string;
        const c = this.int(t.length + 1);
        tokens[at] = t.slice(0, c) + t.slice(c + 1);
        break;
      }
      case 5: {
        const t = tokens[at] as string;
        const c = this.int(t.length + 1);
        const ch = String.fromCharCode(32 + this.int(95));
        tokens[at] = t.slice(0, c) + ch + t.slice(c);
        break;
      }
      case 6: {
        const len = 1 + this.int(20);
        tokens.splice(at, 0, ...tokens.slice(at, at + len));
        break;
      }
      default:
        tokens.length = at;
        break;
    }
  }
}

/** Why `err` is not an acceptable outcome for `text`, or undefined when it is. */
function checkError(err: unknown, text: string): string | undefined {
  if (!(err instanceof DiagnosticError)) {
    return `unexpected exception: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
  const lines = text.split("\n");
  for (const d of err.diagnostics) {
    if (d.code !== "rego_parse_error") return `wrong code ${d.code}`;
    const line = lines[d.loc.line - 1];
    if (line === undefined || d.loc.line < 1) return `line out of range: ${d.loc.line}`;
    const width = Array.from(line).length + 1;
    if (d.loc.col < 1 || d.loc.col > width)
      return `column out of range: ${d.loc.line}:${d.loc.col}`;
  }
  return err.diagnostics.length === 0 ? "DiagnosticError without diagnostics" : undefined;
}

/** Parses, and for modules that parse, checks that formatting round-trips. */
export function checkInput(text: string): string | undefined {
  let module;
  try {
    module = parseModule(text, "fuzz.rego");
  } catch (err) {
    return checkError(err, text);
  }
  try {
    const once = formatModule(module, text);
    const again = parseModule(once, "fuzz.rego");
    if (!isDeepStrictEqual(normalizeModule(again), normalizeModule(module))) {
      return "formatting changed the meaning";
    }
    if (formatModule(again, once) !== once) return "formatting is not idempotent";
  } catch (err) {
    return `formatting failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

/** Runs cases in this thread; `progress` is called before each one with its index. */
export function runFuzz(
  options: FuzzOptions,
  progress?: (index: number) => void,
): { failures: FuzzFailure[]; slowest: number } {
  const maker = new InputMaker(options.seed, loadCorpus());
  const start = options.start ?? 0;
  const failures: FuzzFailure[] = [];
  let slowest = 0;
  for (let i = 0; i < start + options.cases; i++) {
    const input = maker.make();
    if (i < start) continue;
    progress?.(i);
    const t0 = performance.now();
    const problem = checkInput(input);
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    if (problem !== undefined) failures.push({ index: i, input, problem });
    else if (ms > 1000) failures.push({ index: i, input, problem: `slow: ${ms.toFixed(0)} ms` });
  }
  return { failures, slowest };
}

/** The first `count` inputs for `seed`, in case order. */
export function fuzzInputs(seed: number, count: number): string[] {
  const maker = new InputMaker(seed, loadCorpus());
  return Array.from({ length: count }, () => maker.make());
}

/** The input of case `index` (to show what hung, or to replay a failure). */
export function inputAt(seed: number, index: number): string {
  const maker = new InputMaker(seed, loadCorpus());
  let input = "";
  for (let i = 0; i <= index; i++) input = maker.make();
  return input;
}

/** A case still running after this long (1 s plus the watchdog's polling) is a hang. */
const HANG_MS = 1500;

interface WorkerResult {
  failures: FuzzFailure[];
  slowest: number;
}

/** Runs in a worker so that a hang can be detected and the worker stopped. */
async function runWatched(options: FuzzOptions): Promise<WorkerResult & { hung?: FuzzFailure }> {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  // The worker runs this same TypeScript file; loader hooks do not reach workers on
  // Node 20, so it is loaded through tsx's API.
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(
    fileURLToPath(import.meta.url),
  )}, ${JSON.stringify(import.meta.url)}));`;
  const worker = new Worker(code, {
    eval: true,
    workerData: { fuzzWorker: true, options, shared },
  });
  return new Promise((resolve, reject) => {
    // The shared cell holds 1 + the index of the case in progress; 0 while the worker is
    // still loading (transpiling and reading the corpus), which is not a hang.
    let last = 0;
    let lastChange = Date.now();
    const timer = setInterval(() => {
      const now = Atomics.load(shared, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (now > 0 && Date.now() - lastChange > HANG_MS) {
        clearInterval(timer);
        void worker.terminate();
        const index = now - 1;
        const input = inputAt(options.seed, index);
        resolve({ failures: [], slowest: 0, hung: { index, input, problem: "hang" } });
      }
    }, 250);
    worker.on("message", (result: WorkerResult) => {
      clearInterval(timer);
      resolve(result);
    });
    worker.on("error", (err) => {
      clearInterval(timer);
      reject(err);
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: "string", default: "10000" },
      seed: { type: "string", default: "1" },
    },
  });
  const cases = Number(values.cases);
  const seed = Number(values.seed);
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
    console.error("usage: fuzz-parse [--cases N] [--seed S]");
    return 2;
  }
  const t0 = performance.now();
  const failures: FuzzFailure[] = [];
  let slowest = 0;
  let start = 0;
  // After a hang, the run resumes at the next case so that one hang hides nothing else.
  while (start < cases) {
    const result = await runWatched({ seed, cases: cases - start, start });
    failures.push(...result.failures);
    slowest = Math.max(slowest, result.slowest);
    if (result.hung === undefined) break;
    failures.push(result.hung);
    start = result.hung.index + 1;
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  for (const f of failures.slice(0, 20)) {
    console.error(`case ${f.index}: ${f.problem}\n${JSON.stringify(f.input.slice(0, 2000))}\n`);
  }
  console.log(
    `fuzz-parse: ${cases} cases, seed ${seed}, ${failures.length} failures, ` +
      `slowest case ${slowest.toFixed(1)} ms, ${seconds} s`,
  );
  return failures.length === 0 ? 0 : 1;
}

// Test runners load this file in their own worker threads too: only our worker has the tag.
const fuzzWorker = workerData as { fuzzWorker?: true; options: FuzzOptions; shared: Int32Array };
if (!isMainThread && parentPort !== null && fuzzWorker?.fuzzWorker === true) {
  const { options, shared } = fuzzWorker;
  const result = runFuzz(options, (i) => Atomics.store(shared, 0, i + 1));
  parentPort.postMessage(result);
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
