import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { fhirPullCommand } from './fhirPull.ts';
import { fhirReconcileCommand } from './fhirReconcile.ts';
import { fhirValidateCommand } from './fhirValidate.ts';
import { fhirWriteCommand } from './fhirWrite.ts';
import { hashCommand } from './hash.ts';
import { sampleCommand } from './sample.ts';
import { sampleSizeCommand } from './sampleSize.ts';
import { signoffVerifyCommand } from './signoffVerify.ts';
import { validateCommand } from './validate.ts';
import { workflowAnalyzeCommand } from './workflowAnalyze.ts';
import { workflowConformCommand } from './workflowConform.ts';
import { workflowDiscoverCommand } from './workflowDiscover.ts';
import { workflowExportBpmnCommand } from './workflowExportBpmn.ts';
import { workflowImportBpmnCommand } from './workflowImportBpmn.ts';

/** Every subcommand, in the order `--help` lists them. Later issues append here. */
export const commands: Command[] = [
  checkCommand,
  hashCommand,
  sampleSizeCommand,
  sampleCommand,
  signoffVerifyCommand,
  workflowAnalyzeCommand,
  workflowImportBpmnCommand,
  workflowExportBpmnCommand,
  workflowDiscoverCommand,
  workflowConformCommand,
  validateCommand,
  fhirValidateCommand,
  fhirPullCommand,
  fhirReconcileCommand,
  fhirWriteCommand,
];
