/**
 * A waivers file read in steps gives exactly what reading it in one go gives (parseJsonText, then
 * loadWaivers) — for plain files, odd ones and broken ones — and a stop between two steps ends
 * the read there.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../formats/jsonText.ts';
import { loadWaivers, WAIVERS_FORMAT } from '../../formats/waivers.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { ITEM_STEP, loadWaiversText, SCAN_STEP_CHARS } from './waiverFile.ts';

const noPause = async () => {};

function inOneGo(text: string) {
  const parsed = parseJsonText(text);
  return parsed.ok ? loadWaivers(parsed.value) : parsed;
}

const waiver = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `w${i}`,
  rule: 'contract.pattern',
  column: 'mrn',
  rows: [{ from: i + 1, to: i + 1 }],
  rationale: 'legacy numbers, kept until the merge',
  owner: 'Data lead',
  expires: '2099-12-31',
  ...extra,
});

const file = (waivers: unknown[]) => JSON.stringify({ format: WAIVERS_FORMAT, waivers }, null, 2);

const CASES: { description: string; text: string }[] = [
  { description: 'a plain file', text: file([waiver(1), waiver(2)]) },
  { description: 'an empty list', text: file([]) },
  {
    description: 'a byte-order mark and no spaces',
    text: `\uFEFF${JSON.stringify({ format: WAIVERS_FORMAT, waivers: [waiver(1)] })}`,
  },
  {
    description: 'brackets, commas, quotes and escapes inside strings',
    text: file([waiver(1, { rationale: 'a "quoted" [list], {x}: y \\ z, and "waivers": [' })]),
  },
  {
    description: 'the list after other members, its key written with an escape',
    text: `{"note": {"waivers": [1, 2]}, "format": "${WAIVERS_FORMAT}", "waiv\\u0065rs": [${JSON.stringify(waiver(1))}]}`,
  },
  { description: 'two waivers with one id', text: file([waiver(1), waiver(1)]) },
  {
    description: 'a waiver that does not check',
    text: file([waiver(1), { ...waiver(2), expires: '2026-02-30' }]),
  },
  { description: 'a waiver missing its owner', text: file([waiver(1), { ...waiver(2), owner: undefined }]) },
  { description: 'a syntax error inside an item', text: file([waiver(1)]).replace('"rule":', '"rule"') },
  {
    description: 'a trailing comma in the list',
    text: `{"format": "${WAIVERS_FORMAT}", "waivers": [${JSON.stringify(waiver(1))},]}`,
  },
  { description: 'an empty item', text: `{"format": "${WAIVERS_FORMAT}", "waivers": [ , ]}` },
  {
    description: 'the list named twice',
    text: `{"format": "${WAIVERS_FORMAT}", "waivers": [], "waivers": [${JSON.stringify(waiver(1))}]}`,
  },
  { description: 'not an object', text: `[${JSON.stringify(waiver(1))}]` },
  { description: 'no list', text: `{"format": "${WAIVERS_FORMAT}"}` },
  {
    description: 'another format',
    text: JSON.stringify({ format: 'preflight.report/v1', waivers: [waiver(1)] }),
  },
  { description: 'a file cut short', text: file([waiver(1), waiver(2)]).slice(0, 150) },
  {
    description: 'more waivers than one step',
    text: file(Array.from({ length: ITEM_STEP + 5 }, (_, i) => waiver(i))),
  },
  {
    description: 'one id repeated in two steps',
    text: file(Array.from({ length: ITEM_STEP + 5 }, (_, i) => waiver(i === ITEM_STEP + 1 ? 3 : i))),
  },
];

describe('a waivers file read in steps', () => {
  for (const c of CASES)
    it(`reads ${c.description} as reading it in one go does`, async () => {
      expect(await loadWaiversText(c.text, { pause: noPause })).toEqual(inOneGo(c.text));
    });

  it('reads any list of waivers, written any way, as reading it in one go does', async () => {
    const anyWaiver = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      rule: fc.constantFrom('contract.pattern', 'csv.blank'),
      column: fc.string({ maxLength: 6 }),
      rationale: fc.string({ maxLength: 8 }),
      owner: fc.constantFrom('Data lead', ' ', 'Ana'),
      expires: fc.constantFrom('2099-12-31', '2026-02-30'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyWaiver, { maxLength: 5 }),
        fc.constantFrom(0, 2),
        async (waivers, indent) => {
          const text = JSON.stringify({ format: WAIVERS_FORMAT, waivers }, null, indent);
          expect(await loadWaiversText(text, { pause: noPause })).toEqual(inOneGo(text));
        },
      ),
      { seed: 20261125, numRuns: 60 },
    );
  });

  it('reads a plain file in steps: a pause after each step of waivers parsed, and of waivers checked', async () => {
    // under a MiB: the scan itself needs no pause
    const waivers = Array.from({ length: 2 * ITEM_STEP + 1 }, (_, i) => waiver(i));
    const text = JSON.stringify({ format: WAIVERS_FORMAT, waivers });
    expect(text.length).toBeLessThan(SCAN_STEP_CHARS);
    let pauses = 0;
    const read = await loadWaiversText(text, {
      pause: async () => {
        pauses++;
      },
    });
    expect(read.ok && read.value.waivers.length).toBe(2 * ITEM_STEP + 1);
    expect(pauses).toBe(6);
  });

  it('ends at its next step when stopped, however long the file', async () => {
    const text = file(Array.from({ length: 5 * ITEM_STEP }, (_, i) => waiver(i)));
    const stop = new AbortController();
    // the gate: the read waits at its second pause until the test lets it go
    let pauses = 0;
    let reached: () => void = () => {};
    let release: () => void = () => {};
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const reading = loadWaiversText(text, {
      signal: stop.signal,
      pause: () => {
        pauses++;
        if (pauses !== 2) return Promise.resolve();
        reached();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    // (a read that never reaches the gate ends the wait too, and fails below)
    await Promise.race([atGate, reading.catch(() => undefined)]);
    stop.abort();
    release();
    await expect(reading).rejects.toBeInstanceOf(JobCancelledError);
    expect(pauses).toBe(2);
  });
});
