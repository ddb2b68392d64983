import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { fhirValidateCommand } from './fhirValidate.ts';
import { hashCommand } from './hash.ts';
import { sampleCommand } from './sample.ts';
import { sampleSizeCommand } from './sampleSize.ts';

/** Every subcommand, in the order `--help` lists them. Later issues append here. */
export const commands: Command[] = [
  checkCommand,
  hashCommand,
  sampleSizeCommand,
  sampleCommand,
  fhirValidateCommand,
];
