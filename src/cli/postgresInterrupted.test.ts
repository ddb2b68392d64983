/**
 * A PostgreSQL run stopped by a failure with no code of its own (the client's plain Error: a
 * connection ended mid-query) says what the run was doing, never "internal error (Error)", and
 * leaves out any value the client quotes; a typed error or a bug keeps its own path.
 */
import { describe, expect, it } from 'vitest';
import { interruptedRun } from './postgresEngine.ts';

describe('interruptedRun', () => {
  it('says where a plain client failure stopped the run, quoted values left out', () => {
    expect(interruptedRun(new Error('Connection terminated unexpectedly'), 'running the checks')).toBe(
      "the run on PostgreSQL stopped while running the checks: Connection terminated unexpectedly. No report was written; run it again, and if it stops again, check the server's log for that time and the connection to it.",
    );
    expect(
      interruptedRun(new Error("bad value 'P123' near"), 'loading "a.csv" into the table "a"'),
    ).toContain('stopped while loading "a.csv" into the table "a": bad value (a value) near.');
    expect(interruptedRun(new Error(''), 'connecting to the database')).toContain(
      'the client gave no reason',
    );
  });

  it('leaves typed errors and bugs to their own words', () => {
    expect(interruptedRun(new TypeError('x is undefined'), 'running the checks')).toBeUndefined();
    class Named extends Error {}
    expect(interruptedRun(new Named('typed'), 'running the checks')).toBeUndefined();
    expect(interruptedRun('text', 'running the checks')).toBeUndefined();
  });
});
