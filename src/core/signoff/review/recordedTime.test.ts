import { describe, expect, it } from 'vitest';
import { formatRecordedTime } from './recordedTime.ts';

const cases = [
  {
    description: 'a lock time in UTC with milliseconds',
    input: '2026-11-23T07:00:04.570Z',
    expected: '2026-11-23 at 07:00 (UTC)',
  },
  {
    description: 'a signature with its zone',
    input: '2026-11-23T07:00:07+00:00',
    expected: '2026-11-23 at 07:00 (UTC+00:00)',
  },
  {
    description: 'a negative offset, shown with a minus sign',
    input: '2024-07-08T09:00:00-04:00',
    expected: '2024-07-08 at 09:00 (UTC−04:00)',
  },
  { description: 'no seconds', input: '2024-07-08T09:30+05:30', expected: '2024-07-08 at 09:30 (UTC+05:30)' },
  { description: 'not a date-time: unchanged', input: 'yesterday', expected: 'yesterday' },
];

describe('formatRecordedTime', () => {
  it.each(cases)('$description', ({ input, expected }) => {
    expect(formatRecordedTime(input)).toBe(expected);
  });
});
