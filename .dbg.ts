import { compilePolicySync } from "./src/wasm/compile.js";
import { readRegoSources } from "./src/rego/sources.js";
const sources = readRegoSources(["policies"], { tests: false });
for (const optimize of [false, "generated", true, false, "generated", true] as const) {
  const c0 = process.cpuUsage(); const t = performance.now();
  const r = compilePolicySync({ sources, entrypoints: ["ccpol/decision/decision"], optimize });
  const c = process.cpuUsage(c0);
  console.log(optimize, r.wasm.length, "wall", (performance.now() - t).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0));
}
