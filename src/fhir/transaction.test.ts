/** The checks that make a Bundle safe to send (and to send again): table-driven, no server. */
import { describe, expect, it } from 'vitest';
import { checkTransactionBundle, MAX_LISTED_PROBLEMS, TransactionBundleError } from './transaction.ts';

const put = (resourceType: string, id: string, extra: Record<string, unknown> = {}) => ({
  fullUrl: `urn:uuid:${id}`,
  resource: { resourceType, id, ...extra },
  request: { method: 'PUT', url: `${resourceType}/${id}` },
});
const bundle = (entry: unknown[], type = 'transaction') => ({ resourceType: 'Bundle', type, entry });

describe('checkTransactionBundle', () => {
  it.each([
    {
      description: 'PUT Type/id entries',
      input: bundle([put('Provenance', 'pv-1'), put('Task', 'task.1'), put('VerificationResult', 'vr-1')]),
      expected: ['Provenance/pv-1@0', 'Task/task.1@1', 'VerificationResult/vr-1@2'],
    },
    {
      description: 'a lower-case method',
      input: bundle([{ ...put('Task', 't1'), request: { method: 'put', url: 'Task/t1' } }]),
      expected: ['Task/t1@0'],
    },
  ])('accepts $description', ({ input, expected }) => {
    const result = checkTransactionBundle(input);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.targets.map((t) => `${t.resourceType}/${t.id}@${t.index}`)).toEqual(expected);
  });

  it.each([
    { description: 'not an object', input: 'Bundle', expected: /not a FHIR Bundle/ },
    {
      description: 'another resource',
      input: { resourceType: 'Patient', id: 'x' },
      expected: /not a FHIR Bundle/,
    },
    {
      description: 'a batch',
      input: bundle([put('Task', 't1')], 'batch'),
      expected: /type is "batch", not "transaction"/,
    },
    {
      description: 'no type',
      input: { resourceType: 'Bundle', entry: [put('Task', 't1')] },
      expected: /type is missing/,
    },
    { description: 'no entries', input: bundle([]), expected: /no entries/ },
    { description: 'entries not an array', input: { ...bundle([]), entry: {} }, expected: /no entries/ },
    {
      description: 'an entry that is not an object',
      input: bundle([put('Task', 't1'), 7]),
      expected: /entry 2 \(Bundle\.entry\[1\]\): is not an object/,
    },
    {
      description: 'no request',
      input: bundle([{ resource: { resourceType: 'Task', id: 't1' } }]),
      expected: /entry 1 .*has no request/,
    },
    {
      description: 'a POST (a retry would duplicate)',
      input: bundle([
        put('Task', 't1'),
        { resource: { resourceType: 'Provenance' }, request: { method: 'POST', url: 'Provenance' } },
      ]),
      expected: /entry 2 .*POST.*retry would duplicate/,
    },
    {
      description: 'a DELETE',
      input: bundle([{ request: { method: 'DELETE', url: 'Task/t1' } }]),
      expected: /request\.method DELETE; only PUT/,
    },
    {
      description: 'no method',
      input: bundle([{ ...put('Task', 't1'), request: { url: 'Task/t1' } }]),
      expected: /request\.method missing/,
    },
    {
      description: 'a conditional update (values in a URL)',
      input: bundle([{ ...put('Patient', 'p1'), request: { method: 'PUT', url: 'Patient?identifier=x|1' } }]),
      expected: /conditional update/,
    },
    {
      description: 'a URL without an id',
      input: bundle([{ ...put('Task', 't1'), request: { method: 'PUT', url: 'Task' } }]),
      expected: /not Type\/id/,
    },
    {
      description: 'an absolute URL',
      input: bundle([{ ...put('Task', 't1'), request: { method: 'PUT', url: 'http://x.org/fhir/Task/t1' } }]),
      expected: /not Type\/id/,
    },
    {
      description: 'an id R4 does not allow',
      input: bundle([{ ...put('Task', 't1'), request: { method: 'PUT', url: 'Task/t_1' } }]),
      expected: /not Type\/id/,
    },
    {
      description: 'a lower-case type',
      input: bundle([{ ...put('Task', 't1'), request: { method: 'PUT', url: 'task/t1' } }]),
      expected: /not Type\/id/,
    },
    {
      description: 'no resource',
      input: bundle([{ request: { method: 'PUT', url: 'Task/t1' } }]),
      expected: /\(Task\/t1\) has no resource/,
    },
    {
      description: 'a resource with another id',
      input: bundle([{ ...put('Task', 't2'), request: { method: 'PUT', url: 'Task/t1' } }]),
      expected: /type or id differs/,
    },
    {
      description: 'a resource of another type',
      input: bundle([{ ...put('Provenance', 't1'), request: { method: 'PUT', url: 'Task/t1' } }]),
      expected: /type or id differs/,
    },
    {
      description: 'the same Type/id twice',
      input: bundle([put('Task', 't1'), put('Task', 't1')]),
      expected: /entry 2 .*same resource as entry 1/,
    },
  ])('refuses $description', ({ input, expected }) => {
    const result = checkTransactionBundle(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('\n')).toMatch(expected);
  });

  it('names every bad entry, and never a value the resource holds', () => {
    const secret = 'Jane-Secret-Doe';
    const result = checkTransactionBundle(
      bundle([
        {
          resource: { resourceType: 'Patient', name: [{ family: secret }] },
          request: { method: 'POST', url: 'Patient' },
        },
        put('Task', 'ok-1'),
        {
          ...put('Patient', 'p1', { name: [{ family: secret }] }),
          request: { method: 'PUT', url: 'Patient/p2' },
        },
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.index)).toEqual([0, 2]);
    const error = new TransactionBundleError(result.problems);
    expect(error.message).not.toContain(secret);
    expect(error.message).toMatch(/^The Bundle cannot be sent as one safe transaction: entry 1 /);
  });

  it(`lists at most ${MAX_LISTED_PROBLEMS} problems, then says how many more`, () => {
    const entries = Array.from({ length: MAX_LISTED_PROBLEMS + 3 }, () => ({
      request: { method: 'POST', url: 'Task' },
    }));
    const result = checkTransactionBundle(bundle(entries));
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS + 3);
    expect(new TransactionBundleError(result.problems).message).toMatch(/; and 3 more\.$/);
  });
});
