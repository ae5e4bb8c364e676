// OPA's capabilities document for this toolchain: every builtin with its type declaration,
// plus, as an extra field OPA's readers ignore, whether the Wasm runtime implements it
// natively or the host serves it through `opa_builtinN`.
import { BUILTINS } from "./index.js";
import type { TypeDecl } from "./registry.js";

export interface CapabilityBuiltin {
  name: string;
  decl: { type: "function"; args?: TypeDecl[]; result?: TypeDecl; variadic?: TypeDecl };
  infix?: string;
  relation?: boolean;
  nondeterministic?: boolean;
  /** Not part of OPA's format: where compiled modules get this builtin from. */
  ccpol_wasm: "native" | "host";
}

export interface Capabilities {
  builtins: CapabilityBuiltin[];
  features: string[];
  wasm_abi_versions: { version: number; minor_version: number }[];
}

/**
 * Operators and functions the compiler itself implements (unification, assignment,
 * `print`), which OPA lists among its builtins; compiled modules never import them.
 */
const LANGUAGE_BUILTINS: CapabilityBuiltin[] = [
  {
    name: "assign",
    decl: {
      type: "function",
      args: [{ type: "any" }, { type: "any" }],
      result: { type: "boolean" },
    },
    infix: ":=",
    ccpol_wasm: "native",
  },
  {
    name: "eq",
    decl: {
      type: "function",
      args: [{ type: "any" }, { type: "any" }],
      result: { type: "boolean" },
    },
    infix: "=",
    ccpol_wasm: "native",
  },
  {
    name: "internal.print",
    decl: { type: "function", args: [{ type: "array", dynamic: { type: "any" } }] },
    ccpol_wasm: "native",
  },
  { name: "print", decl: { type: "function", variadic: { type: "any" } }, ccpol_wasm: "native" },
];

export function buildCapabilities(native: ReadonlySet<string>): Capabilities {
  const library = [...BUILTINS.values()].map((b): CapabilityBuiltin => {
    const decl = b.decl ?? {
      args: Array<TypeDecl>(b.arity).fill({ type: "any" }),
      result: { type: "any" },
    };
    const entry: CapabilityBuiltin = {
      name: b.name,
      decl: { type: "function", args: decl.args, result: decl.result },
      ccpol_wasm: native.has(b.name) ? "native" : "host",
    };
    if (b.infix !== undefined) entry.infix = b.infix;
    if (b.relation) entry.relation = true;
    if (b.nondeterministic) entry.nondeterministic = true;
    return entry;
  });
  const builtins = [...library, ...LANGUAGE_BUILTINS].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return {
    builtins,
    features: ["rego_v1"],
    wasm_abi_versions: [{ version: 1, minor_version: 2 }],
  };
}
