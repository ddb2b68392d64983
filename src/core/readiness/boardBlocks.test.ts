/**
 * The readiness board as printed-pack blocks: the browser's print and the CLI's PDF both open
 * page 1 with them, so each fact of the board — the phases, rehearsals, sign-off, capacity, the
 * failing data by what uses it, the issue log and forecast vs what happened — is a block, and the
 * pack places them after the audit log line and before who decides.
 */
import { describe, expect, it } from 'vitest';
import { assessReadiness } from './assess.ts';
import { boardBlocks } from './boardBlocks.ts';
import { evidencePack } from './evidencePack.ts';
import { type PackBlock, packDocument } from './packDocument.ts';
import { goProject } from './testing/crafted.ts';
import type { ReadinessBoard } from './types.ts';

const GATES = { minValidShare: 0.98, maxPeakUtilisation: 0.85, maxGoLiveUtilisation: 0.9 };

const BOARD: ReadinessBoard = {
  phases: [
    { id: 'pre-launch', name: 'Pre-launch', status: 'blocked', blocking: 2, risks: 1 },
    { id: 'go-live', name: 'Go-live', status: 'ready', blocking: 0, risks: 0 },
  ],
  rehearsals: [
    {
      dataset: 'Patients',
      runs: [
        { day: '2026-11-01', validShare: 0.951, passes: false },
        { day: '2026-11-15', validShare: 0.99, passes: true },
      ],
      trend: 'better',
    },
  ],
  signoff: [
    {
      plan: 'Allergies',
      verdict: 'fail',
      upperBound: 0.071,
      target: 0.05,
      confidence: 0.95,
      reviewed: 60,
      drawn: 60,
    },
  ],
  capacity: [{ workflow: 'Triage', verdict: 'over', peak: { role: 'Nurse', utilisation: 0.912 } }],
  dataRisks: Array.from({ length: 6 }, (_, i) => ({
    dataset: 'Patients',
    location: `column${i}`,
    rules: ['required'],
    count: i + 1,
    steps: 3,
    roles: ['Nurse', 'Front desk'],
    casesPerHour: 1200 - i,
    share: (i + 1) / 1000,
    weight: ((1200 - i) * (i + 1)) / 1000,
  })),
  issues: {
    categories: [{ name: 'Patient safety', open: 1, logged: 2 }],
    days: [{ day: '2026-12-01', afterGoLive: 1, logged: 2, open: 1 }],
    open: 1,
    logged: 2,
    goLiveDay: '2026-12-01',
  },
  forecasts: [{ workflow: 'Triage', log: 'triage.csv', checkedAt: '2026-12-03T10:00:00Z', stale: true }],
};

/** What a block says, as the PDF prints it. */
function said(block: PackBlock): string | string[] | string[][] {
  if (block.kind === 'page-break') return '';
  if (block.kind === 'list') return block.items;
  if (block.kind === 'table') return [block.columns, ...block.rows];
  return block.text;
}

describe('boardBlocks', () => {
  const blocks = boardBlocks(BOARD, GATES, {
    state: 'not-met',
    rule: 'at least 2 steering members',
    steeringPresent: 1,
    missingRoles: [],
    words: 'QUORUM NOT MET: 1 of 2',
  });
  const text = blocks.map(said);

  it('opens with the quorum warning and each phase with its status and counts', () => {
    expect(blocks[0]).toEqual({ kind: 'heading', text: 'Status per phase', id: 'board' });
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      text: 'QUORUM NOT MET: 1 of 2',
      flag: true,
      id: 'board-quorum',
    });
    expect(said(blocks[2] as PackBlock)).toEqual([
      ['Phase', 'Status', 'Blocking', 'At risk'],
      ['Pre-launch', 'Blocked', '2', '1'],
      ['Go-live', 'Ready', '0', '0'],
    ]);
  });

  it('says each rehearsal, sign-off and capacity verdict with its gate', () => {
    expect(text).toContainEqual(['Patients: 95.1 % (fails) → 99 % — better than the run before']);
    expect(text).toContain('Gate: 98 % valid.');
    expect(text).toContainEqual([
      'Allergies: Fails; 60 of 60 reviewed; error rate at most 7.1 % at 95 % confidence (target 5 %)',
    ]);
    expect(text).toContainEqual([
      'Triage: Over a gate; peak hour: Nurse 91.2 % busy (gate 85 %); go-live week: cannot be computed (gate 90 %)',
    ]);
  });

  it('names the five failing data most used and counts the rest', () => {
    const list = blocks.find((b) => b.kind === 'list' && b.label === 'Failing data by what uses it');
    expect(list?.kind === 'list' && list.items).toHaveLength(5);
    expect(list?.kind === 'list' && list.items[0]).toBe(
      'column0 in Patients (1 problem, 0.1 % of records): used by 3 steps (Nurse, Front desk), 1,200 cases/h',
    );
    expect(text).toContain('And 1 more on the Migration screen.');
  });

  it('says which failing data a shared summary left out, flagged, rather than nothing', () => {
    const left = boardBlocks(
      {
        phases: [],
        rehearsals: [],
        signoff: [],
        capacity: [],
        dataLeftOut: [{ dataset: 'Patients', problems: 3_000 }],
      },
      GATES,
    );
    const at = left.findIndex((b) => b.kind === 'heading' && b.id === 'board-data-risks');
    expect(left[at + 1]).toEqual({
      kind: 'paragraph',
      flag: true,
      text: "Failing data not traced for Patients (3,000 problems): the latest run's shared summary had too many problems to keep them, so what uses them cannot be told here; see the run on the Migration screen of the browser that ran it.",
    });
  });

  it('prints the issue log and forecast vs what happened', () => {
    const at = text.indexOf('Command centre issue log');
    expect(text.slice(at, at + 4)).toEqual([
      'Command centre issue log',
      '1 of 2 logged still open.',
      ['Patient safety 1 open of 2'],
      ['day 1 (2026-12-01): 2 logged, 1 open'],
    ]);
    expect(text).toContain('Forecast vs what happened');
    expect(blocks.some((b) => b.kind === 'list' && b.label === 'Not compared: Triage')).toBe(true);
  });

  it('leaves out what the board does not hold', () => {
    const bare = boardBlocks({ phases: [], rehearsals: [], signoff: [], capacity: [] }, GATES).map(said);
    expect(bare).toContain('No extract in the project.');
    expect(bare).not.toContain('Command centre issue log');
    expect(bare).not.toContain('Forecast vs what happened');
    expect(bare).not.toContain('Failing data by what uses it');
  });
});

describe('packDocument: the board on page 1', () => {
  it('prints the board after the audit log line and before who decides', () => {
    const project = goProject();
    const result = assessReadiness(project);
    const blocks = packDocument(evidencePack(project, result, '2026-11-24T12:00:00Z'));
    const at = (id: string) => blocks.findIndex((b) => 'id' in b && b.id === id);
    expect(at('chain')).toBeLessThan(at('board'));
    expect(at('board')).toBeLessThan(at('board-issues'));
    expect(at('board-issues')).toBeLessThan(at('deciders'));
    expect(blocks.slice(at('board'), at('deciders'))).toEqual(boardBlocks(result.board, result.gates));
  });
});
