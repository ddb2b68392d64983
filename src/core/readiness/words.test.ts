import { describe, expect, it } from 'vitest';
import { DEFAULT_READINESS_GATES } from '../../formats/readinessGates.ts';
import { describeGates } from './gates.ts';
import { count, list, minutes, percent, plural } from './words.ts';

describe('readiness words', () => {
  it.each([
    { share: 0.99, round: 'nearest', text: '99 %' },
    { share: 0.9524, round: 'nearest', text: '95.2 %' },
    { share: 0.98999, round: 'nearest', text: '99 %' },
    // judged against a minimum: a share under 99 % never reads as 99 %
    { share: 0.98999, round: 'down', text: '98.9 %' },
    { share: 0.29, round: 'down', text: '29 %' },
    // judged against a maximum: a share over 85 % never reads as 85 %
    { share: 0.85001, round: 'up', text: '85.1 %' },
    { share: 0.29, round: 'up', text: '29 %' },
    { share: 1, round: 'nearest', text: '100 %' },
    { share: Number.POSITIVE_INFINITY, round: 'nearest', text: 'unbounded' },
  ] as const)('percent($share, $round) is "$text"', ({ share, round, text }) => {
    expect(percent(share, round)).toBe(text);
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
  ])('count(%d) is "%s"', (n, text) => {
    expect(count(n)).toBe(text);
  });

  it('plural, minutes and lists read as sentences', () => {
    expect(plural(1, 'extract')).toBe('1 extract');
    expect(plural(12000, 'record')).toBe('12,000 records');
    expect(plural(2, 'stratum', 'strata')).toBe('2 strata');
    expect(minutes(12.25)).toBe('12.3 min');
    expect(minutes(40)).toBe('40 min');
    expect(list([])).toBe('');
    expect(list(['a'])).toBe('a');
    expect(list(['a', 'b'])).toBe('a and b');
    expect(list(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('describes the gates without float noise', () => {
    expect(
      describeGates({ ...DEFAULT_READINESS_GATES, minValidShare: 0.29, maxGoLiveUtilisation: 0.7 }),
    ).toEqual([
      'extracts ≥ 29 % valid',
      'sign-off required',
      'open findings block at problems',
      'peak-hour utilisation ≤ 85 %',
      'go-live utilisation ≤ 70 %',
      'safety practices at least partly implemented',
      'staff trained ≥ 90 % per role',
      'a super-user per role required',
      'at-the-elbow support ≥ 1 per area and shift',
      'a rollback/downtime plan required',
      'downtime drill ≤ 90 days before go-live',
    ]);
  });
});
