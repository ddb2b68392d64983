import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encryptPacket,
  packetScenario,
  serializeEncryptedPacket,
  serializePacketFile,
} from '../../core/signoff/exports/index.ts';
import { pendingAuditEntries } from '../../core/signoff/signing/index.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { captureIo, runCli } from '../cliTestKit.ts';
import { main } from '../main.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-signoff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const review = fixtureReview('rv1', [
  fixtureDecision('d1', 'MRN-1', 'accept'),
  fixtureDecision('d2', 'MRN-2', 'reject'),
]);
const log = createAuditLogFile({
  projectId: 'p1',
  exportedAt: '2025-03-02T10:00:00Z',
  entries: pendingAuditEntries(undefined, [review], new Set()),
  reviews: [review],
});
const text = JSON.stringify(log, null, 2);

/** `length` bytes of a linear congruential generator from `seed`. */
function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

async function verify(content: string | Uint8Array, name = 'log.json') {
  await writeFile(path.join(dir, name), content);
  return runCli(['signoff', 'verify', name], dir);
}

describe('preflight signoff verify', () => {
  it('verifies an untouched log: exit 0 with the entry count and chain head', async () => {
    const { code, out } = await verify(text);
    expect(code).toBe(0);
    expect(out).toContain('verified: 2 entries');
    expect(out).toContain(log.entries[1]?.hash);
  });

  const tampers: { description: string; change: (s: string) => string; expected: RegExp }[] = [
    {
      description: 'an outcome in entry 2',
      change: (s) => s.replace('"outcome": "reject"', '"outcome": "accept"'),
      expected: /entry 2:/,
    },
    {
      description: 'a logged decision changed in the reviews',
      change: (s) => s.replace('"recordKey": "MRN-2"', '"recordKey": "MRN-3"'),
      expected: /entry 2: the decision it records was changed/,
    },
    {
      description: 'the export time',
      change: (s) => s.replace('2025-03-02T10:00:00Z', '2025-03-02T11:00:00Z'),
      expected: /integrity hash/,
    },
  ];
  it.each(tampers)('exit 1 naming the first broken entry: $description', async ({ change, expected }) => {
    const changed = change(text);
    expect(changed).not.toBe(text);
    const { code, out } = await verify(changed);
    expect(code).toBe(1);
    expect(out).toMatch(expected);
    expect(out).not.toContain('MRN-');
  });

  describe('changing any single byte of the file is detected (exit 1)', () => {
    const bytes = new TextEncoder().encode(text);
    const changedAt = async (offset: number) => {
      const changed = bytes.slice();
      changed[offset] = (changed[offset] as number) ^ 1;
      return (await verify(changed, 'byte.json')).code;
    };
    // every kind of byte the file holds (white space, punctuation, digits, letters, each hash's hex
    // digits): the first and last place each byte value occurs, and the file's first and last byte
    const pinned = new Set<number>([0, bytes.length - 1]);
    for (let offset = 0; offset < bytes.length; offset++) {
      const value = bytes[offset] as number;
      if (bytes.indexOf(value) === offset) pinned.add(offset);
      if (bytes.lastIndexOf(value) === offset) pinned.add(offset);
    }

    it('at each kind of byte, first and last', async () => {
      const missed: number[] = [];
      for (const offset of [...pinned].sort((a, b) => a - b)) {
        if ((await changedAt(offset)) !== 1) missed.push(offset);
      }
      expect(missed).toEqual([]);
    }, 60_000);

    it('anywhere in the file', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), async (offset) => {
          expect(await changedAt(offset)).toBe(1);
        }),
        { numRuns: 150 },
      );
    }, 60_000);
  });

  it('exit 2 for a missing file, another format, or bad usage', async () => {
    const { io } = captureIo(dir);
    expect(await main(['signoff', 'verify', 'nope.json'], io)).toBe(2);
    expect((await verify('{"format":"preflight.workflow/v1"}', 'other.json')).code).toBe(2);
    expect(await main(['signoff', 'verify'], captureIo(dir).io)).toBe(2);
  });

  it('exit 2 for an encrypted review packet, saying it needs its passphrase', async () => {
    const sealed = await encryptPacket(packetScenario().packet, 'amber kettle orbit lantern');
    const { code, out, err } = await verify(serializeEncryptedPacket(sealed), 'packet.encrypted.json');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/is an encrypted review packet .*cannot be verified without its passphrase/);
  });

  it.each([
    // bytes from a fixed seed (a linear congruential generator): the same "random" file every run
    { description: 'random bytes', content: seededBytes(4096, 20261124) },
    {
      description: 'a PNG image',
      content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]),
    },
  ])('exit 2 for a file that is not an export at all: $description', async ({ content }) => {
    const { code, out, err } = await verify(content, 'noise.bin');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(
      /is not a preflight\.auditlog\/v1, .* file: it is not valid UTF-8 text: the byte at line \d+, byte \d+ cannot be read in that encoding\./,
    );
  });
});

describe('preflight signoff verify: review packets and results', () => {
  const scenario = packetScenario();
  const files = [
    {
      name: 'packet.json',
      text: serializePacketFile(scenario.packet),
      verified: /verified review packet: 3 records/,
    },
    {
      name: 'results.json',
      text: serializePacketFile(scenario.results),
      verified: /verified review results: 3 decisions/,
    },
  ];
  it.each(files)('verifies an untouched $name (exit 0)', async ({ name, text, verified }) => {
    const { code, out } = await verify(text, name);
    expect(code).toBe(0);
    expect(out).toMatch(verified);
    expect(out).toContain(scenario.packet.integrity.sha256);
  });

  const tampers = [
    {
      description: 'a legacy value in the packet',
      name: 'packet.json',
      text: serializePacketFile(scenario.packet).replace('"1975-11-30"', '"1975-11-03"'),
      expected: { record: 2, reason: 'record-changed' },
    },
    {
      description: 'an outcome in the results',
      name: 'results.json',
      text: serializePacketFile(scenario.results).replace(
        '"outcome": "cannot-assess"',
        '"outcome": "accept"',
      ),
      expected: { entry: 3, reason: 'chain' },
    },
    {
      description: 'a space in the results',
      name: 'results.json',
      text: serializePacketFile(scenario.results).replace('"exportedAt": ', '"exportedAt":  '),
      expected: { reason: 'edited' },
    },
  ];
  it.each(tampers)('exit 1 naming the first broken one: $description', async ({ name, text, expected }) => {
    await writeFile(path.join(dir, name), text);
    const { io, out } = captureIo(dir);
    expect(await main(['signoff', 'verify', '--json', name], io)).toBe(1);
    const result = JSON.parse(out.join('\n'));
    expect(result).toMatchObject({ status: 'tampered', ...expected });
    expect(out.join('\n')).not.toMatch(/MRN-|Okafor|1975/);
  });

  it('verifies results that identify records by keyed hash as far as the file allows, and says so', async () => {
    const hashed = packetScenario({ hashedKeys: true });
    const text = serializePacketFile(hashed.results);
    const { code, out } = await verify(text, 'hashed-results.json');
    expect(code).toBe(0);
    expect(out).toMatch(
      /3 decisions, each logged .*identified by keyed hash.*checked only with the packet \(--packet <file>\) or when the data lead/,
    );
    await writeFile(path.join(dir, 'hashed-results.json'), text);
    const json = captureIo(dir);
    expect(await main(['signoff', 'verify', '--json', 'hashed-results.json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      status: 'verified',
      decisions: 3,
      recordKeys: 'hashed',
    });
    await writeFile(
      path.join(dir, 'hashed-results.json'),
      text.replace('"outcome": "cannot-assess"', '"outcome": "accept"'),
    );
    const tampered = captureIo(dir);
    expect(await main(['signoff', 'verify', '--json', 'hashed-results.json'], tampered.io)).toBe(1);
    expect(JSON.parse(tampered.out.join('\n'))).toMatchObject({ status: 'tampered', reason: 'integrity' });
  });
});
