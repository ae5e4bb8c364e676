// `ccpol capabilities`: writes OPA's capabilities JSON for this toolchain, listing every
// builtin (native in the Wasm runtime or served by the host) with its type declaration.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type Command, type CommandIO } from "../command.js";
import { buildCapabilities } from "../../builtins/capabilities.js";
import { NATIVE_BUILTINS } from "../../wasm/runtime/builtins.js";

const USAGE = `Usage: ccpol capabilities [--out FILE]

Prints (or writes to FILE) a capabilities document in OPA's format: every supported
builtin with its type declaration, the language features and the Wasm ABI versions.
Each builtin also carries "ccpol_wasm": "native" when the Wasm runtime implements it and
"host" when compiled modules import it from the host (opa_builtinN).`;

export function capabilitiesJSON(): string {
  return JSON.stringify(buildCapabilities(new Set(NATIVE_BUILTINS.keys())), null, 2) + "\n";
}

async function run(args: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { out: { type: "string", short: "o" } },
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const text = capabilitiesJSON();
  const out = parsed.values.out;
  if (out === undefined) {
    io.stdout(text);
    return 0;
  }
  writeFileSync(resolve(io.cwd, out), text);
  io.stdout(`wrote ${out}`);
  return 0;
}

export const capabilitiesCommand: Command = {
  name: "capabilities",
  summary: "write OPA's capabilities JSON (builtins, features, Wasm ABI versions)",
  usage: USAGE,
  run,
};
