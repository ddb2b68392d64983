/**
 * `preflight signoff verify <bundle.json>` on the sign-off FHIR Bundle, and its tamper table: every
 * row changes a signed Bundle the way a forger would (an edited decision, a removed, reordered or
 * added entry, a signature or the evidence changed, the chain re-hashed) and must exit 1 naming
 * the entry and resource, or the signature, that changed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/hash/index.ts';
import {
  clientId,
  type FhirResource,
  signoffBundle,
  type TransactionBundle,
  toBase64,
} from '../../core/signoff/exports/index.ts';
import {
  auditEntryFor,
  entryHash,
  REVIEWED_MEANING,
  rosteredExport,
  signatureEntryFor,
  signedExport,
  signoffHash,
} from '../../core/signoff/signing/index.ts';
import type { AuditLogFile, ChainEntry } from '../../formats/auditLog.ts';
import type { Review } from '../../formats/review.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

// biome-ignore lint/suspicious/noExplicitAny: the forger edits the Bundle's raw JSON, any field at any depth
type Raw = any;

const NOW = '2025-03-02T18:00:00+01:00';
/** A Bundle as Preflight 0.1.0 exported it (see the folder's README). */
const EARLIER_BUNDLE = fileURLToPath(
  new URL('../../../tests/fixtures/signoff/bundle-preflight-0.1.0.json', import.meta.url),
);

let dir: string;
let rostered: Awaited<ReturnType<typeof rosteredExport>>;
let signed: TransactionBundle;

function bundleOf(file: AuditLogFile, review: Review): TransactionBundle {
  const plan = file.plans?.[0];
  if (!plan) throw new Error('the fixture has no plan');
  return signoffBundle({
    plan,
    review,
    now: NOW,
    entries: file.entries,
    ...(file.roster ? { roster: file.roster } : {}),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-bundle-'));
  rostered = await rosteredExport();
  signed = bundleOf(rostered.file, rostered.review);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(bundle: unknown, ...flags: string[]) {
  await writeFile(path.join(dir, 'bundle.json'), JSON.stringify(bundle, null, 2));
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
  const code = await main(['signoff', 'verify', 'bundle.json', ...flags], io);
  return { code, out: out.join('\n') };
}

const decode = (data: unknown) => JSON.parse(Buffer.from(String(data), 'base64').toString('utf8'));
const encode = (value: unknown) => toBase64(new TextEncoder().encode(canonicalJson(value)));

/** The index of the entry whose resource `pick` chooses. */
function indexOf(bundle: TransactionBundle, pick: (r: FhirResource) => boolean): number {
  const i = bundle.entry.findIndex((e) => pick(e.resource));
  if (i < 0) throw new Error('no such entry');
  return i;
}
const provenanceOf = (decisionId: string) => (r: FhirResource) =>
  r.resourceType === 'Provenance' && r.id === clientId(rostered.review.plan.hash, 'Provenance', decisionId);
const isSignoff = (r: FhirResource) =>
  r.resourceType === 'Provenance' && Array.isArray(r.signature) && 'data' in (r.signature[0] as object);
const isBinary = (r: FhirResource) => r.resourceType === 'Binary';

/** A copy of the signed Bundle with `change` applied to it. */
function forged(change: (b: TransactionBundle) => void): TransactionBundle {
  const copy = structuredClone(signed);
  change(copy);
  return copy;
}
function res(b: TransactionBundle, i: number): Raw {
  return (b.entry[i] as TransactionBundle['entry'][number]).resource;
}
/** Re-encodes the evidence Binary after `change`. */
function evidence(b: TransactionBundle, change: (e: Raw) => void) {
  const binary = res(b, indexOf(b, isBinary));
  const value = decode(binary.data);
  change(value);
  binary.data = encode(value);
}
/** Re-encodes the sign-off Provenance's signature data after `change`. */
function signatureData(b: TransactionBundle, change: (s: Raw) => void) {
  const sig = res(b, indexOf(b, isSignoff)).signature[0];
  const value = decode(sig.data);
  change(value);
  sig.data = encode(value);
}

describe('signoff verify on a sign-off FHIR Bundle', () => {
  it('verifies the Bundle as exported: entries, chain, the WebAuthn signature against the roster', async () => {
    const { code, out } = await verify(signed);
    expect(out).toMatch(
      /verified FHIR Bundle: \d+ entries, each as signed; audit chain of \d+ entries, head [0-9a-f]{64}; 1 signature/,
    );
    expect(out).toContain('signature sig1: Sam Okafor');
    expect(out).toContain('WebAuthn assertion verified');
    expect(out).not.toContain('WARNING');
    expect(code).toBe(0);
  });

  it('prints JSON with --json, and warns of a signature made without WebAuthn and no roster', async () => {
    const plain = await signedExport();
    const { code, out } = await verify(bundleOf(plain.file, plain.review), '--json');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({
      status: 'verified',
      format: 'fhir-bundle',
      signatures: [{ id: 'sig1', reauthentication: 'none' }],
    });
    expect(json.warnings.join(' ')).toMatch(/WebAuthn|roster/);
  });

  it('refuses a Bundle exported without its evidence (no signature to verify it by)', async () => {
    const plan = rostered.file.plans?.[0];
    if (!plan) throw new Error('no plan');
    const { code, out } = await verify(signoffBundle({ plan, review: rostered.review, now: NOW }));
    expect(out).toContain('TAMPERED: the Bundle carries no sign-off evidence');
    expect(code).toBe(1);
  });

  it('says a Bundle exported before the sign-off is that, never TAMPERED (exit 4)', async () => {
    const plan = rostered.file.plans?.[0];
    if (!plan) throw new Error('no plan');
    const before = signoffBundle({
      plan,
      review: { ...rostered.review, signatures: [] },
      now: NOW,
      entries: rostered.file.entries,
    });
    const decisions = rostered.review.decisions.length;
    const { code, out } = await verify(before);
    expect(out).not.toMatch(/TAMPERED/);
    expect(out).toBe(
      `bundle.json: NOT SIGNED YET: an export made before the sign-off: it carries ${decisions} decisions but no sign-off over them yet, so it holds no signature or audit chain to verify. Export the Bundle again once the sign-off is signed`,
    );
    expect(code).toBe(4);
    const json = await verify(before, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ status: 'not-signed', reason: 'before-signoff' });
    expect(json.code).toBe(4);
    // a Bundle whose Task says it was signed, without what verifies it, is still tampered
    const task = before.entry.find((e) => e.resource.resourceType === 'Task');
    if (task) task.resource.status = 'completed';
    expect((await verify(before)).code).toBe(1);
  });

  it('a Bundle Preflight 0.1.0 made is not called tampered: it cannot be verified (exit 2)', async () => {
    const earlier = JSON.parse(await readFile(EARLIER_BUNDLE, 'utf8'));
    const { code, out } = await verify(earlier);
    expect(out).not.toMatch(/TAMPERED/);
    expect(out).toMatch(
      /^bundle\.json: NOT VERIFIED: made by an earlier version of Preflight: cannot be verified\./,
    );
    expect(code).toBe(2);
    const json = await verify(earlier, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ status: 'unverifiable', reason: 'earlier-version' });
    expect(json.code).toBe(2);
  });

  it('refuses --expect-head on a Bundle (exit 2)', async () => {
    const { code } = await verify(signed, '--expect-head', '0'.repeat(64));
    expect(code).toBe(2);
  });
});

describe('tamper table: the sign-off FHIR Bundle', () => {
  const d2 = () => indexOf(signed, provenanceOf('d2'));
  const rows: { how: string; bundle: () => TransactionBundle | Promise<TransactionBundle>; names: RegExp }[] =
    [
      {
        how: 'a decision’s outcome edited (rejected → accepted)',
        bundle: () =>
          forged((b) => {
            res(b, d2()).activity.text = 'Clinician review: the migrated record accepted';
          }),
        names:
          /entry \d+ \(Provenance\/[0-9a-f]{64}\): decision d2: its outcome differs from chain entry \d+/,
      },
      {
        how: 'a decision’s reviewer edited',
        bundle: () =>
          forged((b) => {
            res(b, d2()).agent[0].who.identifier.value = 'RN-999';
          }),
        names: /entry \d+ \(Provenance\/[0-9a-f]{64}\): decision d2: its reviewer differs/,
      },
      {
        how: 'a decision’s time edited',
        bundle: () =>
          forged((b) => {
            res(b, d2()).occurredDateTime = '2025-03-01T09:00:00Z';
          }),
        names: /decision d2: its time differs/,
      },
      {
        how: 'a decision’s hash edited',
        bundle: () =>
          forged((b) => {
            res(b, d2()).entity[1].what.identifier.value = `urn:sha256:${'a'.repeat(64)}`;
          }),
        names: /decision d2: its decision hash differs/,
      },
      {
        how: 'a decision’s Provenance removed',
        bundle: () =>
          forged((b) => {
            b.entry.splice(d2(), 1);
          }),
        names: /the Provenance of decision d2 \(chain entry \d+\) \(Provenance\/[0-9a-f]{64}\) is missing/,
      },
      {
        how: 'two decisions’ Provenances reordered',
        bundle: () =>
          forged((b) => {
            const [p] = b.entry.splice(d2(), 1);
            b.entry.splice(d2() + 1, 0, p as TransactionBundle['entry'][number]);
          }),
        names: /entry \d+ \(Provenance\/[0-9a-f]{64}\): out of order/,
      },
      {
        how: 'an entry added (a copy of a Provenance under a new id)',
        bundle: () =>
          forged((b) => {
            const copy = structuredClone(b.entry[d2()] as TransactionBundle['entry'][number]);
            copy.resource.id = 'f'.repeat(64);
            copy.request.url = `Provenance/${copy.resource.id}`;
            copy.fullUrl = 'urn:uuid:ffffffff-ffff-5fff-bfff-ffffffffffff';
            b.entry.splice(d2() + 1, 0, copy);
          }),
        names:
          /entry \d+ \(Provenance\/f{64}\): its request or full URL|entry \d+ \(Provenance\/f{64}\): not part of the signed sign-off/,
      },
      {
        how: 'the Task’s status edited (completed → ready)',
        bundle: () =>
          forged((b) => {
            res(
              b,
              indexOf(b, (r) => r.resourceType === 'Task'),
            ).status = 'ready';
          }),
        names: /entry \d+ \(Task\/[0-9a-f]{64}\): the go-live sign-off Task: its status/,
      },
      {
        how: 'the Task’s quoted meaning edited',
        bundle: () =>
          forged((b) => {
            res(
              b,
              indexOf(b, (r) => r.resourceType === 'Task'),
            ).note[0].text = 'I approve.';
          }),
        names: /\(Task\/[0-9a-f]{64}\): the go-live sign-off Task: its owner or the meaning/,
      },
      {
        how: 'a review-only sign-off’s Task marked completed (approved)',
        bundle: async () => {
          const plain = await signedExport();
          const signature = { ...plain.signature, meaning: REVIEWED_MEANING };
          const prepared = { ...signature, signoffSha256: signoffHash(plain.review.id, signature) };
          const review = { ...plain.review, signatures: [prepared] };
          const entries = plain.file.entries.slice(0, -1);
          const file = {
            ...plain.file,
            entries: [...entries, signatureEntryFor(entries[entries.length - 1], review.id, prepared)],
          };
          const b = bundleOf(file, review);
          expect(
            res(
              b,
              indexOf(b, (r) => r.resourceType === 'Task'),
            ).status,
          ).toBe('failed');
          res(
            b,
            indexOf(b, (r) => r.resourceType === 'Task'),
          ).status = 'completed';
          return b;
        },
        names: /\(Task\/[0-9a-f]{64}\): the go-live sign-off Task: it says the go-live was approved/,
      },
      {
        how: 'the sign-off Provenance removed',
        bundle: () =>
          forged((b) => {
            b.entry.splice(indexOf(b, isSignoff), 1);
          }),
        names: /the sign-off Provenance \(Provenance\/[0-9a-f]{64}\) is missing/,
      },
      {
        how: 'the evidence Binary removed',
        bundle: () =>
          forged((b) => {
            b.entry.splice(indexOf(b, isBinary), 1);
          }),
        names: /carries no sign-off evidence/,
      },
      {
        how: 'the signature’s meaning edited',
        bundle: () =>
          forged((b) =>
            signatureData(b, (s) => {
              s.meaning = 'I approve.';
            }),
          ),
        names: /entry \d+ \(Provenance\/[0-9a-f]{64}\), signature 1: signature sig1: its content/,
      },
      {
        how: 'the signature’s WebAuthn signature bytes changed',
        bundle: () =>
          forged((b) =>
            signatureData(b, (s) => {
              s.reauthentication.signature = `A${s.reauthentication.signature.slice(1)}`;
            }),
          ),
        names: /signature sig1: it is not the signature chain entry \d+ logged/,
      },
      {
        how: 'the signature’s time shown in the Bundle edited',
        bundle: () =>
          forged((b) => {
            res(b, indexOf(b, isSignoff)).signature[0].when = '2025-03-03T10:00:00Z';
          }),
        names: /signature sig1: its time or signer shown in the Bundle differ/,
      },
      {
        how: 'a stratum tally in the evidence edited',
        bundle: () =>
          forged((b) =>
            evidence(b, (e) => {
              e.strata[0].major += 1;
            }),
          ),
        names: /signature sig1: the results it binds differ/,
      },
      {
        how: 'a chain entry in the evidence edited',
        bundle: () =>
          forged((b) =>
            evidence(b, (e) => {
              const first = (e.entries as ChainEntry[]).find((x) => x.event === 'decision');
              if (first) first.at = '2025-01-01T00:00:00Z';
            }),
          ),
        names: /entry \d+ \(Binary\/[0-9a-f]{64}\): the audit chain it carries is broken at chain entry \d+/,
      },
      {
        how: 'a decision edited in the Provenance and its chain entry, the chain re-hashed',
        bundle: () =>
          forged((b) => {
            res(b, d2()).activity.text = 'Clinician review: the migrated record accepted';
            evidence(b, (e) => {
              const entries = e.entries as ChainEntry[];
              const at = entries.findIndex((x) => x.event === 'decision' && x.decisionId === 'd2');
              const decision = rostered.review.decisions.find((d) => d.id === 'd2');
              if (!decision) throw new Error('no d2');
              entries[at] = auditEntryFor(entries[at - 1], rostered.review.id, {
                ...decision,
                outcome: 'accept',
              });
              // the forger keeps the decision hash the Provenance shows
              Object.assign(entries[at] as object, {
                decisionSha256: (entries[at] as { decisionSha256: string }).decisionSha256,
              });
              for (let i = at + 1; i < entries.length; i++) {
                const prev = entries[i - 1] as ChainEntry;
                const body = { ...(entries[i] as ChainEntry), prevHash: prev.hash };
                entries[i] = { ...body, hash: entryHash(body) } as ChainEntry;
              }
              res(b, d2()).entity[1].what.identifier.value =
                `urn:sha256:${(entries[at] as { decisionSha256: string }).decisionSha256}`;
            });
          }),
        names: /signature sig1: (the audit-chain head|it is not the signature chain entry)/,
      },
      {
        how: 'the sign-off re-signed without WebAuthn by a signer whose key is bound',
        bundle: async () => {
          const unsigned = await rosteredExport({ signWith: 'none' });
          return bundleOf(unsigned.file, unsigned.review);
        },
        names: /entry \d+ \(Provenance\/[0-9a-f]{64}\): .*signature sig1/,
      },
      {
        how: 'the sign-off signed with another member’s bound key',
        bundle: async () => {
          const other = await rosteredExport({ signWith: 'reviewer' });
          return bundleOf(other.file, other.review);
        },
        names: /entry \d+ \(Provenance\/[0-9a-f]{64}\): .*signature sig1/,
      },
    ];

  it.each(rows)('refuses $how (exit 1, naming where)', async ({ bundle, names }) => {
    const { code, out } = await verify(await bundle());
    expect(out).toMatch(/TAMPERED: /);
    expect(out).toMatch(names);
    expect(code).toBe(1);
  });
});
