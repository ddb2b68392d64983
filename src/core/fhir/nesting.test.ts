/**
 * The nesting limit: resources nested thousands deep get one located fatal issue instead of a
 * stack overflow, the limit itself is validated normally, and a run keeps every other record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { MAX_JSON_NESTING, nestsDeeperThan, tooDeepLocation } from './nesting.ts';
import { createFhirRun, parseFhirJson } from './run.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const TIMES = { startedAt: '', generatedAt: '', totalMs: 0, version: 'test' };

/**
 * JSON text of an extension holding itself `levels` times (two nesting levels each: the
 * extension object and its `extension` list). Built as text: `JSON.stringify` itself overflows
 * on values this deep.
 */
function extensionText(levels: number): string {
  const open = '{"url":"http://example.org/x","extension":[';
  return `${open.repeat(levels)}{"url":"http://example.org/x","valueString":"v"}${']}'.repeat(levels)}`;
}
const patientText = (levels: number) => `{"resourceType":"Patient","extension":[${extensionText(levels)}]}`;
const parse = (text: string): unknown => {
  const parsed = parseFhirJson(text);
  if (!parsed.ok) throw new Error(parsed.issue.message);
  return parsed.value;
};
/** Levels of a patient built by patientText: Patient, its list, 2 per level, the innermost extension. */
const patientDepth = (levels: number) => 3 + 2 * levels;
/** The most extension levels within the limit. */
const MOST_LEVELS = Math.floor((MAX_JSON_NESTING - 3) / 2);

describe('nesting limit', () => {
  it('puts the limit exactly at MAX_JSON_NESTING levels', () => {
    const levels = MOST_LEVELS;
    const deepest = parse(patientText(levels));
    const over = parse(patientText(levels + 1));
    expect(patientDepth(levels)).toBeLessThanOrEqual(MAX_JSON_NESTING);
    expect(patientDepth(levels + 1)).toBeGreaterThan(MAX_JSON_NESTING);
    expect(nestsDeeperThan(deepest)).toBe(false);
    expect(nestsDeeperThan(over)).toBe(true);
    expect(nestsDeeperThan([[[1]]], 3)).toBe(false);
    expect(nestsDeeperThan([[[[1]]]], 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it.each([
    {
      description: 'an extension holding itself 5,000 times',
      text: patientText(5000),
      expected: 'Patient.extension[0]',
    },
    {
      description: 'lists nested 2,000 deep in an unknown element',
      text: `{"resourceType":"Patient","x":${'['.repeat(2000)}${']'.repeat(2000)}}`,
      expected: 'Patient.x[0]',
    },
    {
      description: 'objects nested 2,000 deep',
      text: `{"resourceType":"Patient","text":${'{"div":'.repeat(2000)}1${'}'.repeat(2000)}}`,
      expected: 'Patient.text',
    },
    {
      description: 'a contained resource in a Bundle entry, after a branch of ordinary depth',
      text: `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","contained":[{"resourceType":"Patient","extension":[{"url":"http://example.org/a"},${extensionText(3000)}]}]}}]}`,
      expected: 'Bundle.entry[1].resource.contained[0].extension[1]',
    },
  ])('$description: one fatal issue at $expected, no stack overflow', async ({ text, expected }) => {
    const value = parse(text);
    const root = (value as { resourceType: string }).resourceType;
    expect(tooDeepLocation(value, root)).toBe(expected);
    const result = await session.validate(value);
    expect(result.issues).toEqual([
      expect.objectContaining({ rule: 'fhir-too-deep', severity: 'fatal', location: expected }),
    ]);
  });

  it('validates a resource at the limit with every layer', async () => {
    const result = await session.validate(parse(patientText(MOST_LEVELS)));
    expect(result.issues.map((i) => i.rule)).not.toContain('fhir-too-deep');
  });

  it('finds a too-deep branch exactly when the fast check does (seeded)', () => {
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'large', maxDepth: 12 },
        fc.constant(1),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'resourceType'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 8 }), (value, max) => {
        expect(tooDeepLocation(value, 'R', max) !== undefined).toBe(nestsDeeperThan(value, max));
      }),
      { seed: 20261124, numRuns: 500 },
    );
  });

  it('keeps every other record of the run: NDJSON lines around it and the next file', async () => {
    const run = createFhirRun(session);
    const lines = [
      JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'M' }),
      patientText(5000),
      JSON.stringify({ resourceType: 'Patient', id: 'p3' }),
    ].join('\n');
    await run.addNdjson(
      'deep.ndjson',
      (async function* () {
        yield lines;
      })(),
    );
    await run.addJson('other.json', JSON.stringify({ resourceType: 'Patient', gender: 'X' }));
    const report = run.report(TIMES);
    expect(report.summary).toMatchObject({ records: 4, valid: 1, invalid: 3 });
    expect(report.issues.find((i) => i.rule === 'fhir-too-deep')).toMatchObject({
      severity: 'fatal',
      count: 1,
      examples: [{ input: 'deep.ndjson', row: 2, column: 'Patient.extension[0]' }],
    });
    expect(
      report.issues.find((i) => i.rule === 'fhir-value-not-allowed')?.examples.map((e) => e.input),
    ).toEqual(['deep.ndjson', 'other.json']);
  });
});
