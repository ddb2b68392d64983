import { describe, expect, it } from 'vitest';
import { InputReadError } from '../jobs/errors.ts';
import { EmptyInputError, RUN_STOP_ERRORS, runStopMessage, UnmatchedFilesError } from './index.ts';

describe('what stops a run, in words', () => {
  it('says the input errors every engine stops on, and nothing else', () => {
    expect(runStopMessage(new UnmatchedFilesError('a.csv: its columns match no check set'))).toBe(
      'a.csv: its columns match no check set',
    );
    expect(runStopMessage(new EmptyInputError('a.csv'))).toContain('a.csv');
    expect(runStopMessage(new InputReadError({ source: 'a.csv', byteOffset: 4096 }, 'ENOENT'))).toBe(
      'cannot read a.csv, byte 4096 (ENOENT).',
    );
    expect(runStopMessage(new Error('a bug'))).toBeUndefined();
    expect(RUN_STOP_ERRORS.has('EmptyInputError')).toBe(true);
  });
});
