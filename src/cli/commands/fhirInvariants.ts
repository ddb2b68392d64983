/**
 * `preflight fhir invariants [--ig package.tgz…] [--json]`: which invariants (constraints) of the
 * R4 base specification and of the given implementation guide packages the FHIR validation runs —
 * by their FHIRPath, natively in a layer, or not at all, and why. Computed from the definitions
 * the validator is built from and the digest it validates with (invariantCoverage.ts).
 *
 * Exit codes: 0 the table was printed, 2 bad usage or a package that cannot be read.
 */

import {
  generatedModules,
  type InvariantCoverage,
  type InvariantCoverageTable,
  invariantCoverage,
  loadFhirPathEngine,
} from '../../core/fhir/index.ts';
import { createProfileRegistry } from '../../core/fhirProfiles/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { ensureGenerated, readIgPackages, UnreadableFile } from './fhirValidate.ts';

function tableText(title: string, table: InvariantCoverageTable): string[] {
  const native = table.rows.filter((r) => r.status === 'native');
  const notRun = table.rows.filter((r) => r.status === 'not-run');
  const lines = [
    `${title}: ${table.executed} of ${table.total} invariants run (${table.executed - native.length} by FHIRPath, ${native.length} natively), ${notRun.length} not run`,
  ];
  if (native.length > 0) {
    lines.push('  checked natively:');
    for (const r of native) lines.push(`    ${r.key} (${r.source}): ${r.reason}`);
  }
  if (notRun.length > 0) {
    lines.push('  not run:');
    for (const r of notRun) lines.push(`    ${r.key} (${r.source}, ${r.severity}): ${r.reason}`);
  }
  return lines;
}

/** The coverage as the terminal shows it. */
export function coverageText(coverage: InvariantCoverage, withProfiles: boolean): string {
  const lines = tableText('R4 base specification', coverage.base);
  if (coverage.notInR4.length > 0) {
    lines.push('  not R4 invariants (earlier versions only), not checked:');
    for (const r of coverage.notInR4) lines.push(`    ${r.key}: ${r.reason}`);
  }
  if (withProfiles) lines.push('', ...tableText('Loaded profiles', coverage.profiles));
  return lines.join('\n');
}

/** The `preflight fhir invariants` command. */
export const fhirInvariantsCommand: Command = {
  name: 'fhir invariants',
  summary: 'which FHIR invariants the validation runs (base R4 and IG packages), and why not the others',
  operands: '',
  options: [
    {
      name: 'ig',
      type: 'string',
      multiple: true,
      valueName: 'package.tgz',
      description:
        'also count the invariants of the profiles of this implementation guide package (repeatable)',
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'print the whole table as JSON (every invariant, with its status)',
    },
  ],
  description: [
    'Counts the invariants (constraints) of the R4 base StructureDefinitions — Element,',
    'DomainResource, every datatype with its nested elements, every resource type — and of the',
    'profiles of the packages given with --ig: how many the FHIR validation runs, by their FHIRPath',
    'or natively in a layer (as the HL7 Java validator does for some), and for each one it does not',
    'run, why.',
  ].join('\n'),
  notes: 'Exit codes: 0 the table was printed, 2 bad usage or a package cannot be read.',
  examples: [
    {
      args: [],
      does: 'which invariants of FHIR R4 the validation runs, and why not the others',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0)
      throw new UsageError('fhir invariants takes no files; give packages with --ig package.tgz');
    const files = args.strings('ig');
    let profiles: ReturnType<typeof createProfileRegistry>['profiles'] = [];
    try {
      if (files.length > 0) profiles = createProfileRegistry(await readIgPackages(files, io)).profiles;
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error;
      io.stderr(`preflight fhir invariants: ${error.message}`);
      return EXIT_USAGE;
    }
    await ensureGenerated(io, 'fhir invariants');
    const { readBaseDefinitions } = await import('../generateFhir.ts');
    const coverage = invariantCoverage({
      definitions: readBaseDefinitions(),
      digest: await generatedModules.digest(),
      engine: await loadFhirPathEngine(),
      profiles,
    });
    writeResult(
      io,
      args.flag('json'),
      args.flag('json') ? JSON.stringify(coverage, null, 2) : coverageText(coverage, files.length > 0),
    );
    return EXIT_OK;
  },
};
