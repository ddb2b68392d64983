/**
 * The changelog stays a list a person reads: one line per user-visible change, short lines, and
 * the whole file under {@link MAX_BYTES} (a line replaces the older lines it makes untrue).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MAX_BYTES = 40 * 1024;
const MAX_LINE = 200;
const text = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');

describe('CHANGELOG.md', () => {
  it(`stays under ${MAX_BYTES / 1024} KB`, () => {
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_BYTES);
  });

  it(`gives each change one line of at most ${MAX_LINE} characters`, () => {
    const lines = text.split('\n');
    const continued = lines.flatMap((line, i) =>
      /^\s+\S/.test(line) && lines[i - 1]?.startsWith('- ') ? [i + 1] : [],
    );
    const long = lines.flatMap((line, i) => (line.startsWith('- ') && line.length > MAX_LINE ? [i + 1] : []));
    expect({ continued, long }).toEqual({ continued: [], long: [] });
  });
});
