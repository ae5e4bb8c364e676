// Compiling sources into an evaluator in one call, for the CLI and the test suites. It
// uses the compiler's `compileModules` (parse, resolve, check, safety ordering) and the
// shared builtin library, so every caller evaluates the same program the
// Wasm planner sees.
import { compileModules, type SourceFile } from "../compiler/resolve.js";
import type { Program } from "../compiler/program.js";
import { Evaluator, type EvaluatorOptions } from "./evaluator.js";

export type { SourceFile };

/** Parses, resolves and checks sources; throws DiagnosticError on any problem. */
export function compileSources(sources: readonly SourceFile[]): Program {
  return compileModules(sources);
}

export type EvaluatorSetup = Omit<EvaluatorOptions, "sources">;

/** An evaluator over compiled sources, with the shared builtins and the source texts. */
export function evaluatorForSources(
  sources: readonly SourceFile[],
  options: EvaluatorSetup = {},
): Evaluator {
  const program = compileSources(sources);
  return new Evaluator(program, {
    ...options,
    sources: new Map(sources.map((s) => [s.file, s.text])),
  });
}
