// Compiles the AssemblyScript policy runtime (src/wasm/runtime/assembly) to
// build/runtime/runtime.wasm, which the code generator links every policy against.
// Function names are kept (--debug) so the code generator can refer to them; binaryen's
// optimizer and dead-code elimination run later, per policy.
import { main } from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

mkdirSync("build/runtime", { recursive: true });
const { error, stderr } = await main([
  "src/wasm/runtime/assembly/index.ts",
  "--outFile",
  "build/runtime/runtime.wasm",
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
  "1",
  "--noAssert",
  "--debug",
]);
if (error) {
  console.error(stderr.toString());
  console.error(error.message);
  process.exit(1);
}
console.log("built build/runtime/runtime.wasm");
