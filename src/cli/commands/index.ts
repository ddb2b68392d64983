import type { Command } from '../command.ts';

/** Every subcommand, in the order `--help` lists them. Later issues append here. */
export const commands: Command[] = [];
