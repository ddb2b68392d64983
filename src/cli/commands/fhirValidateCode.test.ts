import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const MARITAL = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const MARITAL_VS = 'http://hl7.org/fhir/ValueSet/marital-status';

let dir = process.cwd();

async function run(args: string[]) {
  const { io, out, err } = captureIo(dir);
  const code = await main(['fhir', 'validate-code', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('preflight fhir validate-code', () => {
  it.each([
    {
      description: 'a code and its display in a code system FHIR R4 ships',
      args: ['--system', CLINICAL, '--code', 'active', '--display', 'Active'],
      exit: 0,
      out: `valid: ${CLINICAL}#active (Active)`,
    },
    {
      description: 'a display the code system does not give',
      args: ['--system', CLINICAL, '--code', 'active', '--display', 'Nope'],
      exit: 1,
      out: `not valid: ${CLINICAL}#active\n  error       display: Wrong Display Name 'Nope' for ${CLINICAL}#active. Valid display is 'Active'`,
    },
    {
      description: 'a code outside a value set of a binding',
      args: ['--system', MARITAL, '--code', 'QQ', '--valueset', MARITAL_VS],
      exit: 1,
      out: `not valid: ${MARITAL}#QQ`,
    },
  ])('$description', async ({ args, exit, out }) => {
    const result = await run(args);
    expect(result.code).toBe(exit);
    expect(result.out).toContain(out);
  });

  it('--json prints the Parameters a terminology server answers with', async () => {
    const result = await run(['--system', MARITAL, '--code', 'M', '--valueset', MARITAL_VS, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      resourceType: 'Parameters',
      parameter: [
        { name: 'result', valueBoolean: true },
        { name: 'code', valueCode: 'M' },
        { name: 'system', valueUri: MARITAL },
        { name: 'display', valueString: 'Married' },
      ],
    });
  });

  it.each([
    {
      description: 'a code system not held (SNOMED CT)',
      args: ['--system', 'http://snomed.info/sct', '--code', '1'],
    },
    { description: 'no --system', args: ['--code', 'active'] },
    { description: 'no code at all', args: [] },
    {
      description: '--coding beside --code',
      args: ['--code', 'active', '--system', CLINICAL, '--coding', `${CLINICAL}|active`],
    },
    { description: 'a --coding without a code', args: ['--coding', CLINICAL] },
    {
      description: 'a display language that is no language',
      args: ['--system', CLINICAL, '--code', 'active', '--display-language', '-'],
    },
    {
      description: 'a value set not held',
      args: ['--system', CLINICAL, '--code', 'active', '--valueset', 'http://example.org/vs'],
    },
  ])('refuses $description (exit 2), saying why', async ({ args }) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).not.toBe('');
  });
});

/** A clinic's own code system with German designations, and a value set of it (a package). */
const COLOURS = 'http://example.org/CodeSystem/colours';
const COLOURS_VS = 'http://example.org/ValueSet/colours';

describe('preflight fhir validate-code: a CodeableConcept and a display language', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-validate-code-'));
    const codeSystem = {
      resourceType: 'CodeSystem',
      url: COLOURS,
      language: 'en',
      status: 'active',
      content: 'complete',
      concept: [
        { code: 'red', display: 'Red', designation: [{ language: 'de', value: 'Rot' }] },
        { code: 'blue', display: 'Blue', designation: [{ language: 'de', value: 'Blau' }] },
      ],
    };
    const valueSet = {
      resourceType: 'ValueSet',
      url: COLOURS_VS,
      status: 'active',
      compose: { include: [{ system: COLOURS, concept: [{ code: 'red' }] }] },
    };
    await writeFile(
      path.join(dir, 'colours.tgz'),
      tgz({
        'package/package.json': JSON.stringify({ name: 'clinic.colours', version: '1.0.0' }),
        'package/CodeSystem-colours.json': JSON.stringify(codeSystem),
        'package/ValueSet-colours.json': JSON.stringify(valueSet),
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    dir = process.cwd();
  });

  const pkg = ['--package', 'colours.tgz'];

  it('is valid when one coding is in the value set, and says of the other that it is not', async () => {
    const result = await run([
      ...pkg,
      '--valueset',
      COLOURS_VS,
      '--coding',
      `${COLOURS}|blue|Blue`,
      '--coding',
      `${COLOURS}|red|Red`,
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`valid: ${COLOURS}#red (Red)`);
    expect(result.out).toContain(
      `information CodeableConcept.coding[0].code: The code provided (${COLOURS}#blue) is not in the value set`,
    );
  });

  it('is not valid when a coding is a code its code system lacks, even beside a good one (as HL7 servers answer)', async () => {
    const result = await run([
      ...pkg,
      '--valueset',
      COLOURS_VS,
      '--coding',
      `${COLOURS}|red`,
      '--coding',
      `${COLOURS}|purple`,
    ]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`CodeableConcept.coding[1].code: Unknown code 'purple'`);
  });

  it('is not valid when no coding is, each coding named', async () => {
    const result = await run([...pkg, '--valueset', COLOURS_VS, '--coding', `${COLOURS}|blue`, '--json']);
    expect(result.code).toBe(1);
    const issues = JSON.parse(result.out).parameter.find((p: { name: string }) => p.name === 'issues');
    expect(
      issues.resource.issue.map(
        (i: { details: { coding: { code: string }[] } }) => i.details.coding[0]?.code,
      ),
    ).toEqual(['not-in-vs', 'this-code-not-in-vs']);
  });

  it.each([
    { description: 'a German display, German asked for', display: 'Rot', language: 'de', exit: 0 },
    { description: 'a German display, English asked for', display: 'Rot', language: 'en', exit: 1 },
    {
      description: 'a German display, a list that holds German',
      display: 'Rot',
      language: 'en-GB, de;q=0.5',
      exit: 0,
    },
  ])('checks $description against the designations in that language', async ({ display, language, exit }) => {
    const result = await run([
      ...pkg,
      '--system',
      COLOURS,
      '--code',
      'red',
      '--display',
      display,
      '--display-language',
      language,
    ]);
    expect(result.code).toBe(exit);
  });
});
