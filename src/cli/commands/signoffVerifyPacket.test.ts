import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clinicianResults,
  encryptPacket,
  packetScenario,
  serializeEncryptedPacket,
  serializePacketFile,
} from '../../core/signoff/exports/index.ts';
import { type ReviewResults, reviewResultsIntegrity } from '../../formats/reviewResults.ts';
import { runCli } from '../cliTestKit.ts';

/**
 * `preflight signoff verify <results> --packet <packet> [--passphrase-file <file>]`: results that
 * identify records by keyed hash are checked in full with the packet they answer — the coded keys
 * mapped back with the packet's secret, every decision against its chain entry and what the packet
 * showed — where on their own only their chain links, integrity and logging can be.
 */

const PASSPHRASE = 'amber kettle orbit lantern';
const scenario = packetScenario({ hashedKeys: true });
/** The same results with decision 3's outcome changed and the integrity hash made again to match. */
function rehashed(): ReviewResults {
  const { results } = scenario;
  const review = {
    ...results.review,
    decisions: results.review.decisions.map((d, i) => (i === 2 ? { ...d, outcome: 'accept' as const } : d)),
  };
  const { integrity: _old, ...rest } = { ...results, review };
  return { ...rest, integrity: { sha256: reviewResultsIntegrity(rest) } };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-verify-packet-'));
  const write = (name: string, text: string) => writeFile(path.join(dir, name), text);
  await write('results.json', serializePacketFile(scenario.results));
  await write('rehashed-results.json', serializePacketFile(rehashed()));
  const reviewer = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
  await write(
    'quoting-results.json',
    serializePacketFile(
      clinicianResults(scenario.packet, reviewer, [
        { outcome: 'accept', comment: 'dose 500 mg on 2024-03-01' },
        { outcome: 'reject', comment: 'mrn-2: field allergy wrong' },
      ]).results,
    ),
  );
  await write(
    'number-results.json',
    serializePacketFile(
      clinicianResults(scenario.packet, reviewer, [{ outcome: 'reject', comment: 'same as 4471902' }])
        .results,
    ),
  );
  await write('packet.json', serializePacketFile(scenario.packet));
  await write(
    'changed-packet.json',
    serializePacketFile(scenario.packet).replace('"1975-11-30"', '"1975-11-03"'),
  );
  await write(
    'other-packet.json',
    serializePacketFile(packetScenario({ hashedKeys: true, dualReview: true }).packet),
  );
  await write(
    'packet.encrypted.json',
    serializeEncryptedPacket(await encryptPacket(scenario.packet, PASSPHRASE)),
  );
  // as an editor saves it: the passphrase and a line break
  await write('passphrase.txt', `${PASSPHRASE}\n`);
  await write('wrong-passphrase.txt', 'amber kettle orbit lantern!\n');
  await write('log.json', '{"format":"preflight.auditlog/v1","entries":[],"integrity":{"sha256":""}}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cases: {
  description: string;
  argv: string[];
  code: 0 | 1 | 2;
  /** what stdout says (exit 0 and 1) or stderr (exit 2) */
  says: RegExp;
  json?: Record<string, unknown>;
}[] = [
  {
    description: 'coded results with their packet: every decision checked against what it showed',
    argv: ['results.json', '--packet', 'packet.json'],
    code: 0,
    says: /3 decisions, each logged .* and citing what the packet given with --packet showed \(record identifiers mapped back with its secret\)/,
    json: { status: 'verified', decisions: 3, recordKeys: 'hashed', packetChecked: true },
  },
  {
    description: 'coded results with their encrypted packet and its passphrase',
    argv: ['results.json', '--packet', 'packet.encrypted.json', '--passphrase-file', 'passphrase.txt'],
    code: 0,
    says: /3 decisions, each logged .* citing what the packet given with --packet showed/,
    json: { status: 'verified', packetChecked: true, encrypted: true },
  },
  {
    description: 'a changed outcome with its integrity hash made again: passes on its own …',
    argv: ['rehashed-results.json'],
    code: 0,
    says: /identified by keyed hash, so what each decision cites is checked only with the packet \(--packet <file>\)/,
    json: { status: 'verified', recordKeys: 'hashed' },
  },
  {
    description: '… and is caught with the packet, naming the entry',
    argv: ['rehashed-results.json', '--packet', 'packet.json'],
    code: 1,
    says: /TAMPERED/,
    json: { status: 'tampered', reason: 'chain', entry: 3 },
  },
  {
    description: 'a comment quoting its record key: refused with the packet, counted, saying what to do',
    argv: ['quoting-results.json', '--packet', 'packet.json'],
    code: 1,
    says: /REFUSED: entry 2: 1 of the 2 decisions in these results has a comment or change reason that identifies the patient .*"the record" or by field name/,
    json: { status: 'tampered', reason: 'identifying-comment', entry: 2 },
  },
  {
    description: 'a comment quoting a number shaped like an MRN: refused even without the packet',
    argv: ['number-results.json'],
    code: 1,
    says: /REFUSED: entry 1: 1 of the 1 decisions/,
    json: { status: 'tampered', reason: 'identifying-comment', entry: 1 },
  },
  {
    description: 'an encrypted packet without its passphrase',
    argv: ['results.json', '--packet', 'packet.encrypted.json'],
    code: 2,
    says: /is an encrypted review packet: give its passphrase with --passphrase-file <file>/,
  },
  {
    description: 'an encrypted packet with another passphrase',
    argv: ['results.json', '--packet', 'packet.encrypted.json', '--passphrase-file', 'wrong-passphrase.txt'],
    code: 2,
    says: /"packet\.encrypted\.json" cannot be opened: the passphrase is not the one it was encrypted with/,
  },
  {
    description: 'a missing passphrase file',
    argv: ['results.json', '--packet', 'packet.encrypted.json', '--passphrase-file', 'nope.txt'],
    code: 2,
    says: /cannot read the passphrase file "nope\.txt": no such file/,
  },
  {
    description: 'another packet than the one the results answer',
    argv: ['results.json', '--packet', 'other-packet.json'],
    code: 2,
    says: /"other-packet\.json" is not the packet "results\.json" answers \(packet hash [0-9a-f]{64}; the results answer [0-9a-f]{64}\)/,
  },
  {
    description: 'a packet that does not verify on its own',
    argv: ['results.json', '--packet', 'changed-packet.json'],
    code: 2,
    says: /"changed-packet\.json" does not verify: .*changed — verify it on its own with "npx preflight signoff verify changed-packet\.json"/,
  },
  {
    description: 'a missing packet file',
    argv: ['results.json', '--packet', 'nope.json'],
    code: 2,
    says: /cannot read "nope\.json": no such file/,
  },
  {
    description: '--packet with a file that is not review results',
    argv: ['log.json', '--packet', 'packet.json'],
    code: 2,
    says: /--packet applies to a review results file/,
  },
  {
    description: '--passphrase-file with a packet that is not encrypted',
    argv: ['results.json', '--packet', 'packet.json', '--passphrase-file', 'passphrase.txt'],
    code: 2,
    says: /--passphrase-file applies to an encrypted review packet/,
  },
  {
    description: 'an encrypted packet verified on its own with its passphrase',
    argv: ['packet.encrypted.json', '--passphrase-file', 'passphrase.txt'],
    code: 0,
    says: /verified review packet \(opened with its passphrase\): 3 records, each as fingerprinted/,
    json: { status: 'verified', records: 3, encrypted: true },
  },
  {
    description: 'an encrypted packet with another passphrase, on its own',
    argv: ['packet.encrypted.json', '--passphrase-file', 'wrong-passphrase.txt'],
    code: 2,
    says: /cannot be opened: the passphrase is not the one/,
  },
];

describe('preflight signoff verify --packet: coded results checked in full with their packet', () => {
  it.each(cases)('exit $code: $description', async ({ argv, code, says, json }) => {
    const text = await runCli(['signoff', 'verify', ...argv], dir);
    expect(text.code, text.err).toBe(code);
    expect(code === 2 ? text.err : text.out).toMatch(says);
    if (code === 2) expect(text.out).toBe('');
    // never a record's content, a key or the passphrase
    for (const said of [text.out, text.err]) expect(said).not.toMatch(/MRN-|Okafor|1975|amber kettle/);
    if (json) {
      const asJson = await runCli(['signoff', 'verify', '--json', ...argv], dir);
      expect(asJson.code).toBe(code);
      expect(JSON.parse(asJson.out)).toMatchObject(json);
    }
  });
});
