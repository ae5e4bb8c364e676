import type { Command } from "../command.js";
import { buildCommand } from "./build.js";
import { capabilitiesCommand } from "./capabilities.js";
import { checkCommand } from "./check.js";
import { decideCommand } from "./decide.js";
import { demoCommand } from "./demo.js";
import { diffCommand } from "./diff.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";
import { testCommand } from "./test.js";

/** Every subcommand, in the order `ccpol --help` lists them. */
export const commands: Command[] = [
  demoCommand,
  decideCommand,
  diffCommand,
  testCommand,
  evalCommand,
  checkCommand,
  buildCommand,
  fmtCommand,
  capabilitiesCommand,
];
