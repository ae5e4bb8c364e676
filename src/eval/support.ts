// Compiling sources into an evaluator in one call, for the CLI and the test suites. It
// uses the compiler's resolver (parse + resolve + semantic checks when the checker is
// present) and the shared builtin library, so every caller evaluates the same program the
// Wasm planner sees.
import { parseModule } from "../rego/parser.js";
import { resolveModules } from "../compiler/resolve.js";
import type { Program } from "../compiler/program.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import type { Builtin } from "../builtins/registry.js";
import { aggregateBuiltins } from "../builtins/aggregates.js";
import { arithmeticBuiltins } from "../builtins/arithmetic.js";
import { arrayBuiltins } from "../builtins/arrays.js";
import { comparisonBuiltins } from "../builtins/comparison.js";
import { encodingBuiltins } from "../builtins/encoding.js";
import { globBuiltins } from "../builtins/glob.js";
import { graphBuiltins } from "../builtins/graph.js";
import { membershipBuiltins } from "../builtins/membership.js";
import { objectBuiltins } from "../builtins/objects.js";
import { regexBuiltins } from "../builtins/regex.js";
import { setBuiltins } from "../builtins/sets.js";
import { stringBuiltins } from "../builtins/strings.js";
import { typeBuiltins } from "../builtins/types.js";
import { Evaluator, type EvaluatorOptions } from "./evaluator.js";

const BUILTIN_TABLE: ReadonlyMap<string, Builtin> = new Map(
  [
    aggregateBuiltins,
    arithmeticBuiltins,
    arrayBuiltins,
    comparisonBuiltins,
    encodingBuiltins,
    globBuiltins,
    graphBuiltins,
    membershipBuiltins,
    objectBuiltins,
    regexBuiltins,
    setBuiltins,
    stringBuiltins,
    typeBuiltins,
  ]
    .flat()
    .map((b) => [b.name, b]),
);

export function lookupBuiltin(name: string): Builtin | undefined {
  return BUILTIN_TABLE.get(name);
}

export interface SourceFile {
  file: string;
  text: string;
}

/** Parses and resolves sources into a program; throws DiagnosticError on any problem. */
export function compileSources(sources: readonly SourceFile[]): Program {
  const modules = sources.map((s) => parseModule(s.text, s.file));
  const { program, diagnostics } = resolveModules(modules);
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  return program;
}

export type EvaluatorSetup = Omit<EvaluatorOptions, "builtins" | "sources"> &
  Partial<Pick<EvaluatorOptions, "builtins">>;

/** An evaluator over compiled sources, with the shared builtins and the source texts. */
export function evaluatorForSources(
  sources: readonly SourceFile[],
  options: EvaluatorSetup = {},
): Evaluator {
  const program = compileSources(sources);
  return new Evaluator(program, {
    ...options,
    builtins: options.builtins ?? lookupBuiltin,
    sources: new Map(sources.map((s) => [s.file, s.text])),
  });
}
