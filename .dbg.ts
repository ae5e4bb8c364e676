import { compilePolicySync } from "./src/wasm/compile.js";
import { createRequire } from "node:module";
const opa = createRequire(import.meta.url)("@open-policy-agent/opa-wasm");
const src = `package t
p := [x, y] if { {"a": x, "b": 2} = {"b": y, "a": 1} }
q := [x, y] if { [x, 1] = [2, y] }
`;
const r = compilePolicySync({ sources: [{ file: "m.rego", text: src }], entrypoints: ["t/p", "t/q"] });
const pol = await opa.loadPolicy(r.wasm); pol.setData({});
console.log(JSON.stringify(pol.evaluate(undefined, "t/p")), JSON.stringify(pol.evaluate(undefined, "t/q")));
