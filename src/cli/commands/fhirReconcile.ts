/**
 * `preflight fhir reconcile --server <url> <patients.csv> --mapping m.json [--json]`: does the
 * server hold the patients of a legacy extract, with the same name, birth date and sex? The
 * extract is mapped with the mapping (to Patient) and matched to the server's Patients by
 * identifier (src/fhir/reconcile.ts). Identifiers are never sent to the server.
 *
 * Output (stdout): a summary for people, or with --json a `preflight.reconcile-result/v1` document
 * (src/formats/reconcileResult.ts: counts plus examples keyed by identifier, with the extract's row
 * and the server's id; never names or dates).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Utf8DecodeError } from '../../core/csv/index.ts';
import { MappingSetupError, mapCsvStream } from '../../fhir/legacyRecords.ts';
import {
  type CountWithExamples,
  DEFAULT_EXAMPLES,
  FIELD_LABELS,
  RECONCILED_FIELDS,
  type ReconcileResult,
  reconcilePatients,
  reconcileResultFile,
} from '../../fhir/reconcile.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import {
  type CliIo,
  type Command,
  EXAMPLE_FHIR_SERVER,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { oneLineStrings } from '../terminalText.ts';
import {
  connectFromArgs,
  FhirCommandError,
  printFailure,
  SERVER_OPTIONS,
  terminalLine,
} from './fhirServerOptions.ts';

async function readMapping(file: string, cwd: string): Promise<Mapping> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new FhirCommandError(
      typeof code === 'string'
        ? `cannot read the mapping "${file}" (${code}).`
        : `the mapping "${file}" is not JSON. Check it with: npx preflight check ${file}`,
    );
  }
  const loaded = loadMapping(json);
  if (!loaded.ok) {
    throw new FhirCommandError(
      `"${file}" is not a usable mapping (${loaded.problems.length} problems, first at ${loaded.problems[0]?.path || 'the top'}: ${loaded.problems[0]?.message}). Check it with: npx preflight check ${file}`,
    );
  }
  const { target } = loaded.value;
  if (target.type !== 'fhir' || target.resourceType !== 'Patient') {
    throw new FhirCommandError(
      `the mapping "${file}" must map to the FHIR resource Patient to reconcile patients.`,
    );
  }
  return loaded.value;
}

function examplesLine(tally: CountWithExamples): string {
  if (tally.examples.length === 0) return '';
  const shown = tally.examples
    .map((e) => `${e.identifier}${e.row === undefined ? '' : ` (row ${e.row})`}`)
    .join(', ');
  return `\n      e.g. ${shown}${tally.count > tally.examples.length ? ', …' : ''}`;
}

/** The summary for people. */
function reconcileSummary(result: ReconcileResult, file: string, server: string): string {
  const differing = RECONCILED_FIELDS.filter((f) => result.mismatches[f].count > 0);
  return [
    `Reconciled ${file} (${result.extract.records} records) with ${server} (${result.server.records} patients), matched by identifier ${result.identifierSystem}:`,
    `  matched: ${result.matched}`,
    `  missing on the server: ${result.missingOnServer.count}${examplesLine(result.missingOnServer)}`,
    `  on the server but not in the file: ${result.extraOnServer.count}${examplesLine(result.extraOnServer)}`,
    ...RECONCILED_FIELDS.map(
      (f) =>
        `  ${FIELD_LABELS[f]} differs: ${result.mismatches[f].count}${examplesLine(result.mismatches[f])}`,
    ),
    ...(result.extract.duplicates.count > 0
      ? [
          `  identifier repeated in the file (later rows not matched): ${result.extract.duplicates.count}${examplesLine(result.extract.duplicates)}`,
        ]
      : []),
    ...(result.server.duplicates.count > 0
      ? [
          `  identifier held by more than one patient on the server: ${result.server.duplicates.count}${examplesLine(result.server.duplicates)}`,
        ]
      : []),
    ...(result.extract.withoutIdentifier > 0
      ? [`  rows without that identifier (not matched): ${result.extract.withoutIdentifier}`]
      : []),
    ...(result.server.withoutIdentifier > 0
      ? [`  server patients without that identifier (not matched): ${result.server.withoutIdentifier}`]
      : []),
    result.missingOnServer.count + result.extraOnServer.count + differing.length === 0
      ? 'The server holds exactly the patients of the file.'
      : 'Look these patients up by identifier in the file and on the server before go-live.',
  ].join('\n');
}

/** The `preflight fhir reconcile` command. */
export const fhirReconcileCommand: Command = {
  name: 'fhir reconcile',
  summary: 'compare a legacy patients file with the patients on a FHIR server',
  operands: '<patients.csv>',
  options: [
    ...SERVER_OPTIONS,
    {
      name: 'mapping',
      type: 'string',
      valueName: 'mapping.json',
      description: 'the mapping of the file to FHIR Patient',
      required: true,
    },
    {
      name: 'identifier-system',
      type: 'string',
      valueName: 'uri',
      description: 'match by this identifier system (default: the mapping’s first identifier)',
    },
    {
      name: 'examples',
      type: 'string',
      valueName: 'n',
      description: `examples shown per kind (default ${DEFAULT_EXAMPLES})`,
    },
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
  ],
  description: [
    'Maps <patients.csv> with --mapping, reads every Patient on the server, and matches them by',
    'identifier: patients missing on the server, patients on the server but not in the file, and',
    'matched patients whose name, birth date or sex differ. Identifiers are not sent to the server.',
  ].join('\n'),
  notes:
    'Exit codes: 0 the server matches the file, 1 differences found, 2 bad usage, an unreadable file or mapping, or the server failed.',
  examples: [
    {
      args: [
        'samples/legacy/patients.csv',
        '--mapping',
        'samples/mappings/patients-to-fhir-patient.json',
        '--server',
        EXAMPLE_FHIR_SERVER,
      ],
      does: "the demo patients against the local test server's, which differ on purpose",
      exits: 1,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [file] = args.operands;
    if (args.operands.length !== 1 || file === undefined)
      throw new UsageError('give exactly one patients file (CSV)');
    const mappingFile = args.requiredString('mapping');
    const examplesText = args.string('examples');
    const examples = examplesText === undefined ? DEFAULT_EXAMPLES : Number(examplesText);
    if (!Number.isInteger(examples) || examples < 0 || examples > 10_000) {
      throw new UsageError('--examples must be a whole number from 0 to 10000');
    }
    const line = terminalLine();
    try {
      const mapping = await readMapping(mappingFile, io.cwd);
      const connection = await connectFromArgs(args, io);
      const stream = createReadStream(path.resolve(io.cwd, file));
      const opened = new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error) => {
          const code = (error as { code?: unknown }).code;
          reject(
            new FhirCommandError(`cannot read "${file}"${typeof code === 'string' ? ` (${code})` : ''}.`),
          );
        });
      });
      await opened;
      const result = await reconcilePatients(connection, {
        extract: mapCsvStream(stream, mapping, file),
        identifierSystem: args.string('identifier-system'),
        examples,
        onProgress: (p) =>
          line.show(
            p.phase === 'extract'
              ? `reading ${file}… ${p.records} rows`
              : `reading the server’s patients… ${p.resources}${p.total === undefined ? '' : ` of ${p.total}`}`,
          ),
      });
      line.clear();
      if (result.identifierSystem === '') {
        throw new FhirCommandError(
          `no row of "${file}" has an identifier after mapping; check the mapping’s identifier fields or give --identifier-system.`,
        );
      }
      writeResult(
        io,
        args.flag('json'),
        args.flag('json')
          ? JSON.stringify(reconcileResultFile(result), null, 2)
          : // every string one line: an identifier from the file or the server cannot start a line
            reconcileSummary(oneLineStrings(result), file, connection.baseUrl),
      );
      const differences =
        result.missingOnServer.count +
        result.extraOnServer.count +
        RECONCILED_FIELDS.reduce((n, f) => n + result.mismatches[f].count, 0);
      return differences > 0 ? EXIT_FINDINGS : EXIT_OK;
    } catch (error) {
      line.clear();
      if (error instanceof MappingSetupError || error instanceof Utf8DecodeError) {
        io.stderr(`preflight fhir reconcile: ${error.message}`);
        return EXIT_USAGE;
      }
      if (!printFailure('fhir reconcile', error, io)) throw error;
      return EXIT_USAGE;
    }
  },
};
