import type { Command } from "../command.js";
import { evalCommand } from "./eval.js";

/** Every subcommand, in the order `ccpol --help` lists them. */
export const commands: Command[] = [evalCommand];
