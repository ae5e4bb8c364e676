import { describe, expect, it } from "vitest";
import { NATIVE_BUILTINS } from "../wasm/runtime/builtins.js";
import { buildCapabilities } from "./capabilities.js";
import { BUILTINS, callBuiltin, callBuiltinJSON, getBuiltin } from "./index.js";
import { BuiltinError } from "./registry.js";
import { newCtx } from "./testing.js";

describe("the builtin registry", () => {
  it("declares every builtin with an arity that matches its declaration", () => {
    for (const b of BUILTINS.values()) {
      expect(b.decl, b.name).toBeDefined();
      expect(b.decl!.args.length, b.name).toBe(b.arity);
    }
  });

  it("has every builtin the Wasm runtime implements natively, with the same arity", () => {
    for (const [name, native] of NATIVE_BUILTINS) {
      expect(getBuiltin(name)?.arity, name).toBe(native.arity);
      expect(Boolean(getBuiltin(name)?.relation), name).toBe(Boolean(native.relation));
    }
  });

  it("covers the OPA builtin families the host must serve", () => {
    const prefixes = [
      "time.",
      "regex.",
      "glob.",
      "json.",
      "net.cidr_",
      "units.",
      "semver.",
      "uuid.",
      "crypto.",
      "io.jwt.",
      "strings.",
      "graph.",
    ];
    for (const p of prefixes)
      expect(
        [...BUILTINS.keys()].some((n) => n.startsWith(p)),
        p,
      ).toBe(true);
    expect(BUILTINS.size).toBeGreaterThan(150);
  });
});

describe("callBuiltin", () => {
  it("answers undefined for builtin errors unless strict", () => {
    expect(callBuiltin("count", [1], newCtx())).toBeUndefined();
    expect(() => callBuiltin("count", [1], newCtx(true))).toThrow(BuiltinError);
    expect(() => callBuiltin("count", [1], newCtx(true))).toThrow(
      "count: operand 1 must be one of {array, object, set, string} but got number",
    );
  });

  it("rejects unknown builtins and wrong arities", () => {
    expect(() => callBuiltin("no.such", [], newCtx())).toThrow("unsupported builtin: no.such");
    expect(() => callBuiltin("count", [], newCtx(true))).toThrow(
      "count: expected 1 arguments but got 0",
    );
  });
});

describe("callBuiltinJSON", () => {
  it("round-trips JSON, turning set results into sorted arrays", () => {
    expect(callBuiltinJSON("object.keys", [{ b: 1, a: 2 }], newCtx())).toEqual(["a", "b"]);
    expect(callBuiltinJSON("net.cidr_merge", [["10.0.1.0/24", "10.0.0.0/24"]], newCtx())).toEqual([
      "10.0.0.0/23",
    ]);
    expect(callBuiltinJSON("time.parse_rfc3339_ns", ["1970-01-01T00:00:01Z"], newCtx())).toBe(1e9);
  });

  it("reads arrays as sets where the declaration admits only a set", () => {
    expect(
      callBuiltinJSON(
        "union",
        [
          [
            [1, 2],
            [2, 3],
          ],
        ],
        newCtx(),
      ),
    ).toEqual([1, 2, 3]);
    expect(
      callBuiltinJSON(
        "intersection",
        [
          [
            [1, 2],
            [2, 3],
          ],
        ],
        newCtx(),
      ),
    ).toEqual([2]);
    expect(callBuiltinJSON("minus", [[1, 2, 3], [2]], newCtx())).toEqual([1, 3]);
    expect(callBuiltinJSON("and", [[1, 2], [2]], newCtx())).toEqual([2]);
    // Arrays stay arrays where arrays are allowed.
    expect(callBuiltinJSON("count", [[1, 1]], newCtx())).toBe(2);
    expect(callBuiltinJSON("concat", ["-", ["b", "a"]], newCtx())).toBe("b-a");
  });

  it("serialises objects with non-string keys as OPA does", () => {
    expect(callBuiltinJSON("json.unmarshal", ['{"a":{"b":[1]}}'], newCtx())).toEqual({
      a: { b: [1] },
    });
    expect(callBuiltinJSON("object.union", [{ a: 1 }, { b: [true] }], newCtx())).toEqual({
      a: 1,
      b: [true],
    });
  });

  it("is undefined on errors and undefined results, or throws in strict mode", () => {
    expect(callBuiltinJSON("max", [[]], newCtx())).toBeUndefined();
    expect(callBuiltinJSON("base64.decode", ["%%%"], newCtx())).toBeUndefined();
    expect(() => callBuiltinJSON("base64.decode", ["%%%"], newCtx(true))).toThrow(
      "base64.decode: illegal base64 data",
    );
  });

  it("keeps relation results as an array of results", () => {
    expect(callBuiltinJSON("walk", [[7]], newCtx())).toEqual([
      [[], [7]],
      [[0], 7],
    ]);
  });
});

describe("capabilities", () => {
  it("lists every builtin in OPA's format, marking the native ones", () => {
    const caps = buildCapabilities(new Set(["count"]));
    const language = ["assign", "eq", "internal.print", "print"];
    expect(caps.builtins.map((b) => b.name)).toEqual([...BUILTINS.keys(), ...language].sort());
    expect(caps.builtins.find((b) => b.name === "print")!.decl).toEqual({
      type: "function",
      variadic: { type: "any" },
    });
    expect(caps.wasm_abi_versions).toEqual([{ version: 1, minor_version: 2 }]);
    const count = caps.builtins.find((b) => b.name === "count")!;
    expect(count).toEqual({
      name: "count",
      decl: {
        type: "function",
        args: [
          {
            type: "any",
            of: [
              { type: "string" },
              { type: "array", dynamic: { type: "any" } },
              { type: "object", dynamic: { key: { type: "any" }, value: { type: "any" } } },
              { type: "set", of: { type: "any" } },
            ],
          },
        ],
        result: { type: "number" },
      },
      ccpol_wasm: "native",
    });
    const plus = caps.builtins.find((b) => b.name === "plus")!;
    expect(plus.infix).toBe("+");
    expect(plus.ccpol_wasm).toBe("host");
    expect(caps.builtins.find((b) => b.name === "walk")!.relation).toBe(true);
    expect(caps.builtins.find((b) => b.name === "time.now_ns")!.nondeterministic).toBe(true);
  });
});
