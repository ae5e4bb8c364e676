import type { Command } from "../command.js";

/** Every subcommand, in the order `ccpol --help` lists them. */
export const commands: Command[] = [];
