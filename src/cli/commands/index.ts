import type { Command } from "../command.js";
import { capabilitiesCommand } from "./capabilities.js";
import { checkCommand } from "./check.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";

/** Every subcommand, in the order `ccpol --help` lists them. */
export const commands: Command[] = [evalCommand, checkCommand, fmtCommand, capabilitiesCommand];
