/**
 * The discovered workflow's description counts cases, activity instances and days in words that
 * agree with the number ("1 case", never "1 cases").
 */
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow } from './discover.ts';
import { createLocalClock } from './timestamps.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'complete' };

function described(rows: Array<[string, string, string]>): string {
  const lines = ['case,activity,start,complete', ...rows.map(([c, a, at]) => `${c},${a},${at},${at}`)];
  const { log } = readCsvLogText(lines.join('\n'), { mapping: MAPPING });
  return discoverWorkflow(log, createLocalClock('UTC')).workflow.description ?? '';
}

describe('discovered workflow description', () => {
  it.each([
    {
      name: 'one case of one activity on one day',
      rows: [['1', 'Check in', '2025-06-02T08:00:00Z']] as Array<[string, string, string]>,
      words: ['1 case,', '1 activity instance,', 'over 1 day with cases'],
    },
    {
      name: 'two cases of two activities on two days',
      rows: [
        ['1', 'Check in', '2025-06-02T08:00:00Z'],
        ['2', 'Check in', '2025-06-03T08:00:00Z'],
      ] as Array<[string, string, string]>,
      words: ['2 cases,', '2 activity instances,', 'over 2 days with cases'],
    },
  ])('$name', ({ rows, words }) => {
    const text = described(rows);
    for (const word of words) expect(text).toContain(word);
    expect(text).not.toMatch(/\b1 (cases|instances|days)\b/);
  });
});
