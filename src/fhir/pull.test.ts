import { describe, expect, it } from 'vitest';
import { MAX_SERVER_PROGRESS_CHARS, retryAfterMs, serverProgressText } from './pull.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');

describe('retryAfterMs', () => {
  it.each([
    { header: null, ms: undefined },
    { header: '', ms: undefined },
    { header: '3', ms: 3_000 },
    { header: ' 12 ', ms: 12_000 },
    { header: '0', ms: 1_000 },
    { header: '86400', ms: 300_000 },
    { header: 'Sun, 01 Mar 2026 10:00:20 GMT', ms: 20_000 },
    { header: 'Sun, 01 Mar 2026 09:00:00 GMT', ms: 1_000 },
    { header: 'soon', ms: undefined },
    { header: '-5', ms: undefined },
  ])('$header → $ms', ({ header, ms }) => {
    expect(retryAfterMs(header, NOW)).toBe(ms);
  });
});

describe('serverProgressText', () => {
  it.each([
    { header: null, text: undefined },
    { header: '   ', text: undefined },
    { header: 'in progress', text: 'in progress' },
    { header: '50%\r\n  complete', text: '50% complete' },
    { header: 'a'.repeat(200), text: `${'a'.repeat(MAX_SERVER_PROGRESS_CHARS - 1)}…` },
  ])('$header → $text', ({ header, text }) => {
    expect(serverProgressText(header)).toBe(text);
  });
});
