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
