/**
 * The OperationOutcome of each resource, as the app's download and the CLI's `--outcomes` write it:
 * one issue per defect with severity, IssueType code, message, FHIRPath expression and the line and
 * column of the element in the file (NDJSON: the resource's line), no value of the resource
 * anywhere, and the outcomes themselves valid FHIR R4 by this validator.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import {
  createOutcomesWriter,
  ISSUE_COL_EXTENSION,
  ISSUE_LINE_EXTENSION,
  jsonOffsetOf,
  OUTCOME_SOURCE_RELATION,
  toOperationOutcome,
} from './outcomes.ts';
import { locationSteps } from './resourceView.ts';
import { createFhirRun, type RecordOutcome } from './run.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);

/** Values planted in the resources: none may appear in an outcome. */
const SECRETS = ['zz-secret-gender', 'Secretfamily', '1899-13-45', 'urn:secret:system', 'secret-id-7731'];

interface Row {
  description: string;
  name: string;
  text: string;
  /** per resource, its issues as `severity code expression @line:column` */
  expected: string[][];
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

const table: Row[] = [
  {
    description: 'a JSON file: the line and column of the element in the file',
    name: 'patient.json',
    text: pretty({ resourceType: 'Patient', id: 'secret-id-7731', gender: 'zz-secret-gender' }),
    expected: [['error code-invalid Patient.gender @4:3']],
  },
  {
    description: 'NDJSON: the resource’s line of the file, and the column on it',
    name: 'Patient.ndjson',
    text: [
      JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Secretfamily' }] }),
      JSON.stringify({
        resourceType: 'Patient',
        name: [{ family: 'Secretfamily' }],
        birthDate: '1899-13-45',
      }),
    ].join('\n'),
    expected: [['information informational - @-'], ['error value Patient.birthDate @2:62']],
  },
  {
    description: 'a missing element: at the element that holds it',
    name: 'Observation.ndjson',
    text: `\n${JSON.stringify({ resourceType: 'Observation', code: { text: 'x' } })}\n`,
    expected: [['error required Observation.status @2:1']],
  },
  {
    description: 'a Bundle: the entry’s element, lines into the file',
    name: 'bundle.json',
    text: pretty({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:0f3c4b5a-1d2e-4f60-8a9b-0c1d2e3f4a5b', resource: { resourceType: 'Patient' } },
        {
          fullUrl: 'urn:uuid:1f3c4b5a-1d2e-4f60-8a9b-0c1d2e3f4a5b',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:secret:system', value: 'a' }],
            gender: 'zz-secret-gender',
          },
        },
      ],
    }),
    expected: [['error code-invalid Bundle.entry[1].resource.gender @21:9']],
  },
  {
    description: 'a line that is not JSON: the syntax error’s own line and column',
    name: 'broken.ndjson',
    text: `${JSON.stringify({ resourceType: 'Patient' })}\n{"resourceType":"Patient","gender":"zz-secret-gender",}\n`,
    expected: [['information informational - @-'], ['fatal structure - @2:55']],
  },
];

function summarize(outcome: Record<string, unknown>): string[] {
  return (outcome.issue as Record<string, unknown>[]).map((issue) => {
    const ext = (issue.extension ?? []) as { url: string; valueInteger: number }[];
    const line = ext.find((e) => e.url === ISSUE_LINE_EXTENSION)?.valueInteger;
    const column = ext.find((e) => e.url === ISSUE_COL_EXTENSION)?.valueInteger;
    const expression = (issue.expression as string[] | undefined)?.[0] ?? '-';
    return `${issue.severity} ${issue.code} ${expression} @${line === undefined ? '-' : `${line}:${column}`}`;
  });
}

async function outcomesOf(row: Row, format: 'ndjson' | 'bundle'): Promise<string> {
  const writer = createOutcomesWriter(format);
  const parts = [writer.start()];
  const run = createFhirRun(session, { onRecord: (r) => void parts.push(writer.record(r)) });
  const chunks = (async function* () {
    yield row.text;
  })();
  if (row.name.endsWith('.ndjson')) await run.addNdjson(row.name, chunks);
  else await run.addJsonChunks(row.name, chunks);
  parts.push(writer.end());
  return parts.join('');
}

describe('OperationOutcomes per resource', () => {
  it.each(table)('$description', async (row) => {
    const ndjson = (await outcomesOf(row, 'ndjson'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { input: string; row: number; outcome: Record<string, unknown> });
    expect(ndjson.map((l) => summarize(l.outcome))).toEqual(row.expected);
    expect(ndjson.every((l) => l.input === row.name)).toBe(true);

    const text = await outcomesOf(row, 'bundle');
    const bundle = JSON.parse(text) as {
      entry: { link: { relation: string; url: string }[]; resource: Record<string, unknown> }[];
    };
    expect(bundle.entry.map((e) => e.resource)).toEqual(ndjson.map((l) => l.outcome));
    expect(bundle.entry.map((e) => e.link)).toEqual(
      ndjson.map((l) => [{ relation: OUTCOME_SOURCE_RELATION, url: `${row.name}#line=${l.row}` }]),
    );
    // no value of the resources, in any form
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // the outcomes are valid FHIR R4 themselves, as a Bundle and one by one
    expect((await session.validate(JSON.parse(text))).issues).toEqual([]);
    for (const { outcome } of ndjson) expect((await session.validate(outcome)).issues).toEqual([]);
  });

  it('names the rule, and the profile when a profile found the issue', () => {
    const outcome = toOperationOutcome([
      {
        rule: 'fhir-required',
        severity: 'error',
        code: 'required',
        location: 'Observation.status',
        message: 'm',
      },
      {
        rule: 'fhir-profile-cardinality',
        severity: 'error',
        code: 'required',
        location: 'Patient.name',
        message: 'n',
        profile: 'http://example.org/StructureDefinition/p|1.0.0',
        value: 'never shown',
      },
    ]);
    expect(outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'required',
          details: { text: 'm' },
          diagnostics: 'rule fhir-required',
          expression: ['Observation.status'],
        },
        {
          severity: 'error',
          code: 'required',
          details: { text: 'n' },
          diagnostics:
            'rule fhir-profile-cardinality; profile http://example.org/StructureDefinition/p|1.0.0',
          expression: ['Patient.name'],
        },
      ],
    });
  });

  it.each([
    ['Patient.name[1].family', 3],
    ['Patient._birthDate', undefined],
    ['Patient.birthDate.extension[0]', 4],
  ] as const)('finds %s in the text (line %s)', (location, line) => {
    const text =
      '{"resourceType":"Patient",\n"name":[{"family":"a"},\n {"given":["b"], "family":"c"}],\n"_birthDate":{"extension":[{"url":"u"}]}}';
    const value = JSON.parse(text);
    const steps = locationSteps(location).map((s) =>
      s === 'birthDate' && !('birthDate' in value) ? '_birthDate' : s,
    );
    const offset = jsonOffsetOf(text, steps);
    if (line === undefined) {
      expect(offset).toBe(text.indexOf('"_birthDate"'));
      return;
    }
    expect(text.slice(0, offset).split('\n')).toHaveLength(line);
    expect(text.slice(offset as number)).toMatch(location.endsWith('family') ? /^"family":"c"/ : /^\{"url"/);
  });

  it('places every issue of a large Bundle, each at its own entry, in one read of the text', async () => {
    const entries = 3000;
    const text = pretty({
      resourceType: 'Bundle',
      type: 'collection',
      entry: Array.from({ length: entries }, (_, i) => ({
        fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        resource: { resourceType: 'Patient', gender: 'zz-secret-gender' },
      })),
    });
    const lines = text.split('\n');
    // independently: the lines holding a gender, in order, and where on the line it starts
    const expected = lines.flatMap((l, i) =>
      l.includes('"gender"') ? [`${i + 1}:${l.indexOf('"gender"') + 1}`] : [],
    );
    const ndjson = await outcomesOf({ description: '', name: 'big.json', text, expected: [] }, 'ndjson');
    const issues = JSON.parse(ndjson).outcome.issue as Record<string, unknown>[];
    expect(issues).toHaveLength(entries);
    expect(summarize({ issue: issues }).map((s) => s.split('@')[1])).toEqual(expected);
  });

  it('marks an issue that follows from another by its root cause, through a chain', () => {
    const issue = (rule: string, location: string, causedBy?: string) => ({
      rule,
      severity: 'error' as const,
      code: 'invariant' as const,
      location,
      message: 'm',
      ...(causedBy ? { causedBy } : {}),
    });
    const outcome = toOperationOutcome([
      issue('fhir-required', 'Observation.status'),
      issue('fhir-profile-invariant', 'Observation'),
      issue('fhir-profile-slice', 'Bundle.entry', 'fhir-profile-invariant|Observation|m'),
      issue('fhir-profile-type', 'Bundle.entry[0]', 'fhir-profile-slice|Bundle.entry|m'),
      // a cause that is not among the resource's issues: a root itself, as the report counts it
      issue('fhir-profile-value', 'Observation.code', 'fhir-profile-value|elsewhere|m'),
    ]) as { issue: { diagnostics: string }[] };
    expect(outcome.issue.map((i) => i.diagnostics)).toEqual([
      'rule fhir-required',
      'rule fhir-profile-invariant',
      'rule fhir-profile-slice; follows from issue 2 (its root cause)',
      'rule fhir-profile-type; follows from issue 2 (its root cause)',
      'rule fhir-profile-value',
    ]);
  });

  it('writes a valid Bundle, with no entry, when no file held a resource', async () => {
    const text = await outcomesOf(
      { description: '', name: 'empty.ndjson', text: '\n', expected: [] },
      'bundle',
    );
    expect(JSON.parse(text)).toEqual({ resourceType: 'Bundle', type: 'collection' });
    expect((await session.validate(JSON.parse(text))).issues).toEqual([]);
  });

  it('gives no position when the record was not kept as text', () => {
    const record: RecordOutcome = {
      input: 'a.ndjson',
      row: 3,
      issues: [
        { rule: 'fhir-required', severity: 'error', code: 'required', location: 'Patient.x', message: 'm' },
      ],
    };
    const line = JSON.parse(createOutcomesWriter('ndjson').record(record));
    expect(line.outcome.issue[0].extension).toBeUndefined();
  });
});
