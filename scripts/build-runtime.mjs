/* global WebAssembly */
// Compiles the AssemblyScript policy runtime (src/wasm/runtime/assembly) to
// build/runtime/runtime.wasm, which the code generator links every policy against.
// Function names are kept (--debug) so the code generator can refer to them; binaryen's
// optimizer and dead-code elimination run later, per policy. Shrink level 0 lets asc inline
// the small helpers values are made of (about 10% faster evaluations for about 10 KB more
// per policy; docs/decisions.md D31).
import { main } from "assemblyscript/asc";
import { mkdirSync, readFileSync } from "node:fs";

const OUT = "build/runtime/runtime.wasm";

// The only imports a policy module may have: OPA's env imports (the SDK provides exactly
// these) and the ccpol hooks the code generator replaces. Anything else (say, an `env.abort`
// pulled in by an AssemblyScript std function) would make the SDK fail to instantiate.
const ALLOWED_IMPORTS = new Set([
  "env.memory",
  "env.opa_abort",
  "env.opa_println",
  "env.opa_builtin0",
  "env.opa_builtin1",
  "env.opa_builtin2",
  "env.opa_builtin3",
  "env.opa_builtin4",
  "ccpol.eval_entrypoint",
  "ccpol.builtins_json",
  "ccpol.entrypoints_json",
  "ccpol.heap_base",
]);

mkdirSync("build/runtime", { recursive: true });
const { error, stderr } = await main([
  "src/wasm/runtime/assembly/index.ts",
  "--outFile",
  OUT,
  "--textFile",
  "build/runtime/runtime.wat",
  "--runtime",
  "stub",
  "--importMemory",
  "--noExportMemory",
  "--initialMemory",
  "2",
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--noAssert",
  "--use",
  "abort=",
  "--debug",
]);
if (error) {
  console.error(stderr.toString());
  console.error(error.message);
  process.exit(1);
}
const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(OUT)));
const unexpected = imports
  .map((i) => `${i.module}.${i.name}`)
  .filter((n) => !ALLOWED_IMPORTS.has(n));
if (unexpected.length > 0) {
  console.error(`runtime.wasm has unexpected imports: ${unexpected.join(", ")}`);
  process.exit(1);
}
console.log(`built ${OUT}`);
