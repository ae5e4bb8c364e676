import { compilePolicySync } from "./src/wasm/compile.js";
import { compileModules } from "./src/compiler/resolve.js";
import opa from "@open-policy-agent/opa-wasm";
const src = `package test
p contains t if {
  some t, cfg in data.tenants
  "voice" in cfg.channels
}`;
const r = compilePolicySync({ sources: [{ file: "m.rego", text: src }], entrypoints: ["test/p"], optimize: false });
const pol = await opa.loadPolicy(r.wasm);
pol.setData({tenants: {t1: {channels: ["voice","chat"]}, t2: {channels:["chat"]}, t3:{channels:["voice"]}}});
for (let i = 0; i < 3; i++) { try { console.log(JSON.stringify(pol.evaluate(undefined))); } catch (e) { console.log("ERR", String(e)); } }
