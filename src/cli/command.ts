// The shape every `ccpol` subcommand has. Subcommands live in src/cli/commands/, one file
// each, and are listed in src/cli/commands/index.ts; `ccpol --help` is built from that list.

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for `ccpol --help`. */
  summary: string;
  /** Full usage text for `ccpol <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Error for bad command-line usage: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
