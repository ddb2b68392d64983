/**
 * makeSendableBundle: the Bundle the send step offers is the download's, with the stored chain,
 * and one that claims a signature is offered only when it verifies; otherwise the reason is said.
 */
import { describe, expect, it } from 'vitest';
import { verifySignoffBundle } from '../../core/signoff/exports/index.ts';
import { signedExport } from '../../core/signoff/signing/index.ts';
import type { ChainEntry } from '../../formats/auditLog.ts';
import {
  CHAIN_CHANGED,
  CHAIN_UNREADABLE,
  makeSendableBundle,
  NOT_SAVED,
  type SendableBundleInput,
} from './useSendableBundle.ts';

const NOW = () => '2025-03-02T18:00:00+01:00';
const signed = await signedExport();
const chain = signed.file.entries;
const unsigned = { ...signed.review, signatures: [] };

const input = (over: Partial<SendableBundleInput>): SendableBundleInput => ({
  plan: signed.plan,
  review: signed.review,
  mapping: undefined,
  roster: undefined,
  now: NOW,
  auditLog: async () => [...chain],
  ...over,
});
const types = (made: Awaited<ReturnType<typeof makeSendableBundle>>) =>
  made.state === 'ready' ? made.bundle.entry.map((e) => e.resource.resourceType) : made.message;

describe('makeSendableBundle', () => {
  it.each<{ name: string; over: Partial<SendableBundleInput>; expected: string | string[] }>([
    {
      name: 'a signed sign-off carries the sign-off Provenance and the evidence',
      over: {},
      expected: [
        'VerificationResult',
        'Task',
        'Provenance',
        'Provenance',
        'Provenance',
        'Provenance',
        'Binary',
      ],
    },
    {
      name: 'an unsigned one claims no approval and is offered as it is',
      over: { review: unsigned, auditLog: async () => chain.slice(0, -1) },
      expected: ['VerificationResult', 'Task', 'Provenance', 'Provenance', 'Provenance'],
    },
    {
      name: 'what is on screen cannot be saved',
      over: { saved: () => Promise.reject(new Error('storage full')) },
      expected: NOT_SAVED,
    },
    {
      name: 'the chain cannot be read',
      over: { auditLog: () => Promise.reject(new Error('closed')) },
      expected: CHAIN_UNREADABLE,
    },
    {
      name: 'the chain lacks the signature entry (not yet written, or another tab)',
      over: { auditLog: async () => chain.slice(0, -1) },
      expected: CHAIN_CHANGED,
    },
    {
      name: 'the chain is empty',
      over: { auditLog: async (): Promise<ChainEntry[]> => [] },
      expected: CHAIN_CHANGED,
    },
  ])('$name', async ({ over, expected }) => {
    expect(types(await makeSendableBundle(input(over)))).toEqual(expected);
  });

  it('waits for what is on screen to be saved before it reads the chain', async () => {
    const order: string[] = [];
    await makeSendableBundle(
      input({
        saved: async () => {
          order.push('saved');
        },
        auditLog: async () => {
          order.push('read');
          return [...chain];
        },
      }),
    );
    expect(order).toEqual(['saved', 'read']);
  });

  it('offers a Bundle that verifies', async () => {
    const made = await makeSendableBundle(input({}));
    if (made.state !== 'ready') throw new Error(made.message);
    expect(await verifySignoffBundle(made.bundle)).toMatchObject({ ok: true, entries: 7 });
  });
});
