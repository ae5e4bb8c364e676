import { compilePolicySync } from "./src/wasm/compile.js";
import opa from "@open-policy-agent/opa-wasm";
const src = `package ccpol.decision
import rego.v1
default allow := false
allow if input.action == "queue.monitor"
allow if { input.action == "x"; input.user == "bob" }
roles contains r if { some r in input.roles; r != "guest" }
decision := {"allow": allow, "reasons": [r | some r in roles]}
`;
const r = compilePolicySync({ sources: [{ file: "p.rego", text: src }], entrypoints: ["ccpol/decision/decision"], runtimePath: "/tmp/rtb/runtime.wasm", optimize: false });
console.log(r.wasm.length, r.entrypoints, r.builtins, r.nativeBuiltins, r.timings, r.plan.stats);
const p = await opa.loadPolicy(r.wasm);
p.setData({});
console.log(JSON.stringify(p.evaluate({ action: "queue.monitor", roles: ["a", "guest", "b"] })));
console.log(JSON.stringify(p.evaluate({ action: "x", user: "bob" }, "ccpol/decision/decision")));
console.log(JSON.stringify(p.evaluate({ action: "x", user: "alice" })));
