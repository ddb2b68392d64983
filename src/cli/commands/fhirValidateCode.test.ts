import { describe, expect, it } from 'vitest';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const MARITAL = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const MARITAL_VS = 'http://hl7.org/fhir/ValueSet/marital-status';

async function run(args: string[]) {
  const { io, out, err } = captureIo(process.cwd());
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
