/**
 * Tamper tables for review packets and review results: every field of the file, flipped and
 * removed, and the records and decisions reordered. A packet carries no signature, only hashes a
 * forger could recompute, so the table has two rows per field: the file edited as it is (its hashes
 * then name what changed), and a record's content edited with the packet hash recomputed (the
 * record's own fingerprint names it). Built from the files themselves: a field added later is
 * tampered with too.
 */
import { describe, expect, it } from 'vitest';
import { type Json, leaves, named, tampered } from '../../../../tests/fixtures/tamper.ts';
import { reviewPacketHash } from '../../../formats/reviewPacket.ts';
import { verifyReviewPacket, verifyReviewResults } from './packets.ts';
import { packetScenario } from './testing/packetScenario.ts';

describe('tamper table: a review packet', () => {
  const { packet, lead } = packetScenario();

  it('the untouched packet verifies (the table starts from a valid file)', () => {
    expect(verifyReviewPacket(structuredClone(packet))).toMatchObject({ ok: true });
  });

  it('refuses every field flipped or removed, with a reason and, in a record, its number', () => {
    const missed: string[] = [];
    const fields = leaves(packet as unknown as Json);
    expect(fields.length).toBeGreaterThan(40);
    for (const at of fields) {
      for (const how of ['flip', 'remove'] as const) {
        const result = verifyReviewPacket(tampered(packet, at, how));
        const inRecord = at[0] === 'records';
        if (result.ok) missed.push(`${how} ${named(at)}: verified`);
        else if (!result.message) missed.push(`${how} ${named(at)}: no message`);
        else if (inRecord && result.reason !== 'schema' && result.at?.index === undefined)
          missed.push(`${how} ${named(at)}: ${result.reason} without the record`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('names the record whose shown content changed even when the forger recomputes the packet hash', () => {
    const missed: string[] = [];
    for (const [index, record] of packet.records.entries()) {
      for (const at of leaves(record.shown as unknown as Json)) {
        const forged = tampered(packet, ['records', index, 'shown', ...at], 'flip');
        const { integrity: _i, ...body } = forged;
        const resealed = { ...body, integrity: { sha256: reviewPacketHash(body) } };
        const result = verifyReviewPacket(resealed);
        if (result.ok || result.at?.index !== index + 1)
          missed.push(`records.${index}.shown.${named(at)}: ${result.ok ? 'verified' : result.reason}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('refuses the records reordered (the packet hash covers their order)', () => {
    const reordered = { ...packet, records: [...packet.records].reverse() };
    expect(verifyReviewPacket(reordered)).toMatchObject({ ok: false, reason: 'packet-hash' });
  });

  it('a packet resealed whole by a forger verifies on its own, and the lead’s review refuses its results', () => {
    // what a packet's hashes cannot stop (there is no secret in them), the lead's review does: it
    // remembers the hash of every packet it exported
    const { results } = packetScenario();
    expect(verifyReviewResults(structuredClone(results), lead)).toMatchObject({ ok: true });
    const forged = tampered(results, ['packet', 'sha256'], 'flip');
    expect(verifyReviewResults(forged, lead)).toMatchObject({ ok: false });
  });
});

describe.each([
  ['record keys', false],
  ['records identified by keyed hash', true],
])('tamper table: review results with %s', (_, hashedKeys) => {
  const { results, lead } = packetScenario({ hashedKeys });

  it('refuses every field flipped or removed, with a reason and a message', () => {
    expect(verifyReviewResults(structuredClone(results), lead)).toMatchObject({ ok: true });
    const missed: string[] = [];
    const fields = leaves(results as unknown as Json);
    expect(fields.length).toBeGreaterThan(40);
    for (const at of fields) {
      for (const how of ['flip', 'remove'] as const) {
        const result = verifyReviewResults(tampered(results, at, how), lead);
        if (result.ok) missed.push(`${how} ${named(at)}: verified`);
        else if (!result.message) missed.push(`${how} ${named(at)}: no message`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('refuses the decisions or chain entries reordered, naming the first moved entry', () => {
    const decisions = [...results.review.decisions].reverse();
    const byDecisions = verifyReviewResults({ ...results, review: { ...results.review, decisions } }, lead);
    expect(byDecisions).toMatchObject({ ok: false });
    const entries = [...results.entries].reverse();
    expect(verifyReviewResults({ ...results, entries }, lead)).toMatchObject({
      ok: false,
      at: { kind: 'entry', index: 1 },
    });
  });
});
