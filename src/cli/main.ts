#!/usr/bin/env node
// `ccpol`: the command-line entry. Dispatches to the subcommands in ./commands.
import { commands } from "./commands/index.js";
import { UsageError, type CommandIO } from "./command.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { isEntryModule } from "./entry.js";

export function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "ccpol: policy-as-code for contact centers (Rego compiled to OPA-ABI WebAssembly)",
    "",
    "Usage: ccpol <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `ccpol <command> --help` for a command's options.",
  ].join("\n");
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`ccpol: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ccpol ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof DiagnosticError) {
      io.stderr(err.message);
      return 1;
    }
    io.stderr(`ccpol ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (isEntryModule(import.meta.url)) {
  const io: CommandIO = {
    stdout: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"),
    stderr: (t) => process.stderr.write(t.endsWith("\n") ? t : t + "\n"),
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
