import { compilePolicySync } from "../src/wasm/compile.js";
import { generatePolicy } from "./rule-index.js";
const n = Number(process.argv[2]); const indexed = process.argv[3] === "yes";
const t0 = performance.now();
const r = compilePolicySync({ sources: [{ file: "b.rego", text: generatePolicy(n) }], entrypoints: ["bench/decision"], index: indexed });
console.log(n, indexed, (performance.now() - t0).toFixed(0), "ms", r.wasm.length, "bytes", (process.memoryUsage().rss / 1e9).toFixed(2), "GB rss");
