/**
 * Properties of checkTransactionBundle over generated Bundles (fast-check prints the seed and path
 * of a failure; pin it as a case in transaction.test.ts):
 * - a Bundle of PUT Type/id entries with distinct ids passes, with one target per entry in order;
 * - putting a POST anywhere makes it fail, naming exactly that entry — never sent, so never duplicated;
 * - no problem message ever holds a value from a resource.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTransactionBundle } from './transaction.ts';

const resourceType = fc.constantFrom('Provenance', 'Task', 'VerificationResult', 'Patient', 'Observation');
const id = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
/** a value that must never reach a message */
const SECRET = 'Zz-secret-value-Zz';

const entries = fc
  .uniqueArray(fc.record({ resourceType, id }), {
    minLength: 1,
    maxLength: 30,
    selector: (e) => `${e.resourceType}/${e.id}`,
  })
  .map((list) =>
    list.map(({ resourceType: type, id: rid }) => ({
      resource: { resourceType: type, id: rid, note: [{ text: SECRET }] },
      request: { method: 'PUT', url: `${type}/${rid}` },
    })),
  );

describe('checkTransactionBundle (properties)', () => {
  it('passes PUT Type/id entries, one target per entry, in order', () => {
    fc.assert(
      fc.property(entries, (entry) => {
        const result = checkTransactionBundle({ resourceType: 'Bundle', type: 'transaction', entry });
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.targets.map((t) => `${t.index}:${t.resourceType}/${t.id}`)).toEqual(
            entry.map((e, i) => `${i}:${e.request.url}`),
          );
        }
      }),
    );
  });

  it('refuses a POST anywhere, naming that entry and no value', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (entry, at) => {
        const index = at % entry.length;
        const withPost = entry.map((e, i) =>
          i === index ? { ...e, request: { method: 'POST', url: e.resource.resourceType } } : e,
        );
        const result = checkTransactionBundle({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: withPost,
        });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.problems.map((p) => p.index)).toEqual([index]);
          expect(result.problems[0]?.message).toContain(`entry ${index + 1} (Bundle.entry[${index}])`);
          expect(JSON.stringify(result.problems)).not.toContain(SECRET);
        }
      }),
    );
  });
});
