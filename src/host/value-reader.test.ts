import binaryen from "binaryen";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compilePolicy } from "../wasm/compile.js";
import { VALUE_EXPORTS } from "../wasm/codegen/module.js";
import { WasmPolicy } from "./wasm-policy.js";

// Every kind of value, in shapes where reading in place could differ from the JSON dump:
// member order of sets and objects, non-string keys (colliding ones too), "__proto__",
// multi-byte and long strings, numbers JSON prints in exponent form, nesting.
const POLICY = `package v

scalars := [null, true, false, 0, -1.5, 1e21, 0.000001, 9007199254740993, "", "é日本😀"]

long := concat("", ["a" | some _ in numbers.range(1, 100)])

set_of_mixed := {3, "b", "a", [1], {"k": 1}, {2, 1}, null, false}

object_unordered := {"zeta": 1, "alpha": {"y": [], "x": set()}, "mid": {"b", "a"}}

object_non_string_keys := {1: "one", "1": "string one", [2]: "array", {"a": 1}: "object"}

proto := {"__proto__": {"polluted": true}, "ok": 1}

from_input := {"echo": input, "keys": object.keys(input)}

from_data := data.tenants[input.tenant]

grows := [x | some i in numbers.range(1, 3000); x := {"i": i, "s": sprintf("item-%d", [i])}]
`;

const ENTRYPOINTS = [
  "v/scalars",
  "v/long",
  "v/set_of_mixed",
  "v/object_unordered",
  "v/object_non_string_keys",
  "v/proto",
  "v/from_input",
  "v/from_data",
  "v/grows",
];

// JSON.parse, because a `__proto__` key in an object literal sets the prototype instead.
const INPUT = JSON.parse(
  '{"tenant": "acme", "__proto__": 1, "nested": {"list": [3, 1, 2]}, "text": "ü\\n"}',
) as Record<string, unknown>;
const DATA = { tenants: { acme: { users: { gina: { roles: ["b", "a"] } }, "": null } } };

let wasm: Uint8Array;

beforeAll(async () => {
  ({ wasm } = await compilePolicy({
    sources: [{ file: "v.rego", text: POLICY }],
    entrypoints: ENTRYPOINTS,
  }));
});

/** The same module without our value extension: what a module compiled by OPA offers. */
function withoutValueExtension(module: Uint8Array): Uint8Array {
  const m = binaryen.readBinary(module);
  for (const name of VALUE_EXPORTS) m.removeExport(name);
  const stripped = m.emitBinary();
  m.dispose();
  return stripped;
}

describe("reading results in place", () => {
  it("gives what the OPA SDK's JSON round trip gives, for every kind of value", async () => {
    const sdk = await loadPolicy(wasm);
    sdk.setData(DATA);
    const host = await WasmPolicy.load(wasm);
    host.setData(DATA);
    for (const entrypoint of ENTRYPOINTS) {
      const viaJSON = sdk.evaluate(INPUT, entrypoint) as unknown;
      const inPlace = host.evaluate(entrypoint, INPUT);
      expect(inPlace, entrypoint).toEqual(viaJSON);
      // Same member order, not just equal as sets of members.
      expect(JSON.stringify(inPlace), entrypoint).toBe(JSON.stringify(viaJSON));
    }
  });

  it("keeps __proto__ an own property, never the result's prototype", async () => {
    const host = await WasmPolicy.load(wasm);
    const [{ result }] = host.evaluate("v/proto") as [{ result: Record<string, unknown> }];
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(["__proto__", "ok"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("re-reads strings of replaced data, not the text cached for the old data", async () => {
    const host = await WasmPolicy.load(wasm);
    host.setData({ tenants: { acme: { name: "first" } } });
    expect(host.evaluate("v/from_data", { tenant: "acme" })).toEqual([
      { result: { name: "first" } },
    ]);
    host.setData({ tenants: { acme: { name: "other" } } });
    expect(host.evaluate("v/from_data", { tenant: "acme" })).toEqual([
      { result: { name: "other" } },
    ]);
  });

  it("falls back to JSON dumps for a module without the extension, with the same results", async () => {
    const plain = await WasmPolicy.load(withoutValueExtension(wasm));
    const host = await WasmPolicy.load(wasm);
    plain.setData(DATA);
    host.setData(DATA);
    for (const entrypoint of ENTRYPOINTS) {
      expect(JSON.stringify(plain.evaluate(entrypoint, INPUT)), entrypoint).toBe(
        JSON.stringify(host.evaluate(entrypoint, INPUT)),
      );
    }
  });
});
