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
      'Preflight could not read a.csv, byte 4096 (it is no longer there). The file may have been moved, changed or deleted. Check its path and run the command again.',
    );
    expect(runStopMessage(new Error('a bug'))).toBeUndefined();
    expect(RUN_STOP_ERRORS.has('EmptyInputError')).toBe(true);
  });
});
