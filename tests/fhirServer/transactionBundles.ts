/**
 * Test helper: a small transaction Bundle shaped like the sign-off bundle (a Task approving the
 * migration, a Provenance per decision, a VerificationResult per stratum), every entry a PUT with
 * a client-assigned id. `prefix` keeps the ids of different tests apart.
 */
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

/** A transaction Bundle whose entries are all present (typed for tests that break one). */
export type TestBundle = Bundle & { entry: BundleEntry[] };

/** A lowercase UUID made from `id`, so a `urn:uuid:` full URL is a valid one and stays the same. */
const uuidOf = (id: string): string => {
  const v = createHash('sha256').update(id).digest('hex');
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-4${v.slice(13, 16)}-8${v.slice(17, 20)}-${v.slice(20, 32)}`;
};

const put = (resource: Resource & { id: string }): BundleEntry => ({
  fullUrl: `urn:uuid:${uuidOf(resource.id)}`,
  resource,
  request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
});

/** Four entries: Task, two Provenances, one VerificationResult. */
export function signoffLikeBundle(prefix: string): TestBundle {
  const task = `Task/${prefix}-task`;
  const agent = [{ who: { display: 'Reviewer A' } }];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      put({
        resourceType: 'Task',
        id: `${prefix}-task`,
        status: 'completed',
        intent: 'order',
        code: { text: 'Approve migration' },
      }),
      put({
        resourceType: 'Provenance',
        id: `${prefix}-decision-1`,
        target: [{ reference: task }],
        recorded: '2026-11-20T10:00:00Z',
        agent,
      }),
      put({
        resourceType: 'Provenance',
        id: `${prefix}-decision-2`,
        target: [{ reference: task }],
        recorded: '2026-11-20T10:05:00Z',
        agent,
      }),
      put({
        resourceType: 'VerificationResult',
        id: `${prefix}-stratum-1`,
        status: 'validated',
        target: [{ reference: task }],
      }),
    ],
  };
}
