/**
 * `preflight fhir validate-code (--code C --system URL [--version V] [--display D] | --coding
 * system|code[|display]…) [--display-language L] [--valueset URL[|version]] [--package
 * package.tgz…] [--json]`: FHIR's `$validate-code` on a code or a CodeableConcept, answered
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
  type Coding,
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

/** One `--coding system|code[|display]` as a Coding: the display is the rest, `|` and all. */
function codingOf(text: string): Coding {
  const [system = '', code = '', ...display] = text.split('|');
  if (system === '' || code === '')
    throw new UsageError(
      `--coding '${text}' names no system or no code: give it as system|code or system|code|display`,
    );
  return display.length ? { system, code, display: display.join('|') } : { system, code };
}

/**
 * The request the options make: one code (`--code`, `--system`) or a CodeableConcept (each
 * `--coding`), against a value set when one is named, else the (first coding's) code system.
 */
export function requestOf(args: ParsedArgs): ValidateCodeRequest {
  const codings = args.strings('coding').map(codingOf);
  let request: ValidateCodeRequest;
  if (codings.length > 0) {
    if (args.string('code') !== undefined || args.string('system') !== undefined)
      throw new UsageError('give either --code with --system, or --coding (repeatable), not both');
    if (args.string('version') !== undefined || args.string('display') !== undefined)
      throw new UsageError('--version and --display go with --code; a --coding carries its own display');
    request = { codeableConcept: { coding: codings } };
  } else {
    const code = args.string('code');
    const system = args.string('system');
    if (code === undefined || system === undefined)
      throw new UsageError('give the code with --code and --system, or codings with --coding system|code');
    request = { code, system };
    const version = args.string('version');
    if (version !== undefined) request.systemVersion = version;
    const display = args.string('display');
    if (display !== undefined) request.display = display;
  }
  const language = args.string('display-language');
  if (language !== undefined) request.displayLanguage = language;
  const valueSet = args.string('valueset');
  if (valueSet !== undefined) request.valueSet = valueSet;
  else request.codeSystem = codings[0]?.system ?? request.system;
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
    { name: 'code', type: 'string', valueName: 'code', description: 'the code to check (or give --coding)' },
    {
      name: 'system',
      type: 'string',
      valueName: 'url',
      description: 'its code system (without --valueset: the code is checked in the code system alone)',
    },
    {
      name: 'coding',
      type: 'string',
      multiple: true,
      valueName: 'system|code[|display]',
      description:
        'instead of --code: one coding of a CodeableConcept (repeatable); valid when one coding is, each coding’s issues said',
    },
    { name: 'version', type: 'string', valueName: 'version', description: 'the code system version' },
    {
      name: 'display',
      type: 'string',
      valueName: 'text',
      description: 'a display to check against the code’s display and designations',
    },
    {
      name: 'display-language',
      type: 'string',
      valueName: 'lang',
      description:
        'the language displays are expected in (a BCP-47 tag, or a list as Accept-Language gives it)',
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
    "designations (in --display-language, else the value set's language, where one is given), and",
    "with --valueset its membership in the value set's content. Codings given with --coding are one",
    'CodeableConcept: valid when one coding is, each coding’s issues said. What is held:',
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
