/**
 * `preflight fhir validate-code --code C --system URL [--version V] [--display D]
 * [--valueset URL[|version]] [--package package.tgz…] [--json]`: FHIR's `$validate-code`, answered
 * offline by the core's terminology engine over the specification's own code systems and value
 * sets and those of the packages given — the same engine the FHIR validation asks.
 *
 * Output: the verdict and each issue in words; with --json, the FHIR Parameters resource a
 * terminology server answers `$validate-code` with (result, message, code, system, version,
 * display, issues as an OperationOutcome): a public contract, extended compatibly only.
 *
 * Exit codes: 0 valid, 1 not valid, 2 bad usage, a package that cannot be read, or a value set or
 * code system that is not held.
 */

import { generatedModules, specTerminology } from '../../core/fhir/index.ts';
import {
  createTerminologyStore,
  createValidator,
  TerminologyError,
  toParameters,
  type ValidateCodeRequest,
  type ValidateCodeResult,
} from '../../core/terminology/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { ensureGenerated, readIgPackages, UnreadableFile } from './fhirValidate.ts';

/** The request the options make: against a value set when one is named, else the code system. */
export function requestOf(args: ParsedArgs): ValidateCodeRequest {
  const system = args.requiredString('system');
  const request: ValidateCodeRequest = { code: args.requiredString('code'), system };
  const version = args.string('version');
  if (version !== undefined) request.systemVersion = version;
  const display = args.string('display');
  if (display !== undefined) request.display = display;
  const valueSet = args.string('valueset');
  if (valueSet !== undefined) request.valueSet = valueSet;
  else request.codeSystem = system;
  return request;
}

/** The result as the terminal shows it. */
export function resultText(result: ValidateCodeResult): string {
  const what = [result.system, result.code].filter((s) => s !== undefined).join('#');
  const lines = [
    result.result
      ? `valid: ${what}${result.display === undefined ? '' : ` (${result.display})`}`
      : `not valid${what ? `: ${what}` : ''}`,
  ];
  for (const issue of result.issues)
    lines.push(
      `  ${issue.severity.padEnd(11)} ${issue.expression ?? ''}${issue.expression ? ': ' : ''}${issue.text}`,
    );
  return lines.join('\n');
}

/** The `preflight fhir validate-code` command. */
export const fhirValidateCodeCommand: Command = {
  name: 'fhir validate-code',
  summary: 'check a code (and its display) in a code system or value set, offline',
  operands: '',
  options: [
    { name: 'code', type: 'string', valueName: 'code', required: true, description: 'the code to check' },
    {
      name: 'system',
      type: 'string',
      valueName: 'url',
      required: true,
      description: 'its code system (without --valueset: the code is checked in the code system alone)',
    },
    { name: 'version', type: 'string', valueName: 'version', description: 'the code system version' },
    {
      name: 'display',
      type: 'string',
      valueName: 'text',
      description: 'a display to check against the code’s display and designations',
    },
    {
      name: 'valueset',
      type: 'string',
      valueName: 'url[|version]',
      description: 'the value set the code must be a member of',
    },
    {
      name: 'package',
      type: 'string',
      multiple: true,
      valueName: 'package.tgz',
      description: "also use this package's code systems and value sets (FHIR NPM .tgz; repeatable)",
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'print the FHIR Parameters resource a terminology server answers $validate-code with',
    },
  ],
  description: [
    "Answers FHIR's $validate-code without a terminology server: the code in its code system",
    '(the version asked for, else the latest held), its display against the display and',
    "designations, and with --valueset its membership in the value set's content. What is held:",
    'the code systems FHIR R4 ships whole and the value sets of its bindings, and those of the',
    'packages given with --package. SNOMED CT, LOINC and other licensed or large code systems are',
    'not held: a code system or value set that is not held cannot be answered (exit 2, named).',
  ].join('\n'),
  notes:
    'Exit codes: 0 valid, 1 not valid, 2 bad usage, a package that cannot be read, or a value set or code system that is not held.',
  examples: [
    {
      args: [
        '--system',
        'http://terminology.hl7.org/CodeSystem/condition-clinical',
        '--code',
        'active',
        '--display',
        'Active',
      ],
      does: 'checks a code and its display in a code system FHIR R4 ships',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0)
      throw new UsageError('fhir validate-code takes no files; give the code with --code');
    const request = requestOf(args);
    let packaged: unknown[] = [];
    try {
      const packages = await readIgPackages(args.strings('package'), io);
      packaged = packages.flatMap((p) => [...p.codeSystems, ...p.valueSets]);
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error;
      io.stderr(`preflight fhir validate-code: ${error.message}`);
      return EXIT_USAGE;
    }
    await ensureGenerated(io, 'fhir validate-code');
    const digest = await generatedModules.digest();
    // the packages after the specification: a package's newer version of a code system is the latest held
    const validate = createValidator(createTerminologyStore([...specTerminology(digest), ...packaged]));
    let result: ValidateCodeResult;
    try {
      result = validate(request);
    } catch (error) {
      if (!(error instanceof TerminologyError)) throw error;
      io.stderr(`preflight fhir validate-code: ${error.message}`);
      return EXIT_USAGE;
    }
    const json = args.flag('json');
    writeResult(io, json, json ? JSON.stringify(toParameters(result), null, 2) : resultText(result));
    return result.result ? EXIT_OK : EXIT_FINDINGS;
  },
};
