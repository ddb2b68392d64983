import { describe, expect, it } from 'vitest';
import {
  InputReadError,
  isJobCancelled,
  JobCancelledError,
  serializeJobError,
  toJobError,
  WorkerCrashedError,
} from './errors.ts';

const errors = [
  { description: 'cancelled', error: new JobCancelledError() },
  { description: 'crashed', error: new WorkerCrashedError('failedToStart', 'SyntaxError') },
  { description: 'stalled', error: new WorkerCrashedError('stalled') },
  {
    description: 'stalled on patterns',
    error: new WorkerCrashedError('stalled', undefined, { contract: 'codes.json', places: ['column mrn'] }),
  },
  {
    description: 'read failure',
    error: new InputReadError({ source: 'patients.csv', byteOffset: 8_388_608 }, 'NotReadableError'),
  },
];

describe('job errors', () => {
  it.each(errors)(
    '$description survives structured clone (postMessage) via serializeJobError',
    ({ error }) => {
      const cloned: unknown = structuredClone(serializeJobError(error));
      const rebuilt = toJobError(cloned);
      expect(rebuilt).toBeInstanceOf(error.constructor);
      expect(rebuilt.message).toBe(error.message);
      expect(rebuilt.toJSON()).toEqual(error.toJSON());
    },
  );

  it.each(errors)('$description survives comlink’s Error round trip (name and message only)', ({ error }) => {
    const comlinkError = Object.assign(new Error(error.message), { name: error.name, stack: '' });
    expect(toJobError(comlinkError).name).toBe(error.name);
  });

  it('says where and what kind for a read error', () => {
    const error = new InputReadError({ source: 'patients.csv', byteOffset: 1024 }, 'NotReadableError');
    expect(error.message).toContain('patients.csv, byte 1024');
    expect(error.message).toContain('NotReadableError');
  });

  it('tells the user what to do when a worker crashes', () => {
    expect(new WorkerCrashedError().message).toMatch(/stopped unexpectedly.*Try again/);
  });

  it('says a stalled job stopped responding and how to free memory', () => {
    const error = new WorkerCrashedError('stalled');
    expect(error.message).toMatch(/stopped responding/);
    expect(error.message).toMatch(/free memory.*Try again/);
    expect(toJobError({ name: 'WorkerCrashedError', reason: 'stalled' })).toMatchObject({
      reason: 'stalled',
    });
  });

  const CODES = { contract: 'codes.json', places: ['column mrn', 'column code'] };

  it.each([
    {
      description: 'no patterns: memory only',
      error: new WorkerCrashedError('stalled'),
      names: [/ran out of memory/, /free memory/],
      never: [/pattern/],
    },
    {
      description: 'a contract with patterns: memory, the contract and its pattern columns',
      error: new WorkerCrashedError('stalled').withPatterns(CODES),
      names: [
        /run out of memory, or a pattern of the column contract "codes\.json" \(column mrn, column code\) may take too long/,
        /simplify it in the contract: a repeat inside a repeat, such as \(a\|aa\)\+/,
        /choose the corrected contract and validate again/,
        /Otherwise close other tabs or programs to free memory\. Try again/,
      ],
      never: [],
    },
    {
      description: 'more than three places: three named, the rest counted',
      error: new WorkerCrashedError('stalled').withPatterns({
        contract: 'wide.json',
        places: ['column a', 'column b', 'column c', 'column d', '/items/pattern'],
      }),
      names: [/\(column a, column b, column c and 2 more\)/],
      never: [/column d/],
    },
    {
      description: 'a contract without patterns: memory only',
      error: new WorkerCrashedError('stalled').withPatterns({ contract: 'plain.json', places: [] }),
      names: [/most often the browser ran out of memory/],
      never: [/pattern/, /plain\.json/],
    },
    {
      description: 'a crash (not a stall) is not blamed on patterns',
      error: new WorkerCrashedError('crashed').withPatterns(CODES),
      names: [/its background worker crashed/],
      never: [/pattern/],
    },
  ])('a stalled job: $description', ({ error, names, never }) => {
    for (const name of names) expect(error.message).toMatch(name);
    for (const word of never) expect(error.message).not.toMatch(word);
    expect(toJobError(structuredClone(error.toJSON())).message).toBe(error.message);
  });

  it('treats AbortError as cancellation', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(isJobCancelled(abort)).toBe(true);
    expect(toJobError(abort)).toBeInstanceOf(JobCancelledError);
    expect(isJobCancelled({ name: 'JobCancelledError', message: '' })).toBe(true);
    expect(isJobCancelled(new Error('x'))).toBe(false);
  });

  it('turns unknown errors into WorkerCrashedError keeping only their kind, never their message', () => {
    const error = toJobError(new TypeError('cannot read DOE, JOHN'));
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ reason: 'unexpectedError', causeName: 'TypeError' });
    expect(error.message).not.toContain('DOE');
    expect(toJobError('a string')).toMatchObject({ causeName: 'UnknownError' });
    expect(toJobError({ name: 'a name with spaces and DOE, JOHN' }).message).not.toContain('DOE');
  });
});
