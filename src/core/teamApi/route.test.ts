/**
 * The contracts as both ends read them: a route's address built from its params (each one a
 * percent-encoded path segment, never a way out of the path), and the types the browser and the
 * server take from one schema (checked by the compiler; `expectTypeOf` fails the typecheck).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SharedRecord, SharedRecordKind } from '../teamRecords/index.ts';
import {
  type AnswerOf,
  type BodyOf,
  KEY_CONFIRMERS,
  type ParamsOf,
  pathOf,
  pullRecordsRoute,
  type RefusalOf,
  type Role,
  rolesThatMay,
  type sessionRoute,
  writeRecordRoute,
} from './index.ts';

describe('a route contract', () => {
  it.each([
    {
      description: 'names each param as one encoded segment',
      params: { projectId: 'p 1', kind: 'waiver', recordId: '../../logout' },
      expected: '/api/projects/p%201/records/waiver/..%2F..%2Flogout',
    },
    {
      description: 'keeps ids with no special characters as they are',
      params: { projectId: 'p1', kind: 'roster', recordId: 'roster' },
      expected: '/api/projects/p1/records/roster/roster',
    },
  ])('$description', ({ params, expected }) => {
    expect(pathOf(writeRecordRoute, params)).toBe(expected);
  });

  it('puts the query after the path, leaving out what is not given', () => {
    expect(pathOf(pullRecordsRoute, { projectId: 'p1' }, { after: '12' })).toBe(
      '/api/projects/p1/records?after=12',
    );
    expect(pathOf(pullRecordsRoute, { projectId: 'p1' }, { after: undefined })).toBe(
      '/api/projects/p1/records',
    );
  });

  it('refuses to build an address with a param missing', () => {
    expect(() => pathOf(writeRecordRoute, { projectId: 'p1' })).toThrow(/no value for :kind/);
  });

  it('types both ends from the one schema', () => {
    expectTypeOf<ParamsOf<typeof writeRecordRoute>>().toEqualTypeOf<{
      projectId: string;
      kind: SharedRecordKind;
      recordId: string;
    }>();
    expectTypeOf<BodyOf<typeof writeRecordRoute>['baseVersion']>().toEqualTypeOf<number>();
    expectTypeOf<AnswerOf<typeof pullRecordsRoute>>().toEqualTypeOf<{
      head: number;
      records: SharedRecord[];
    }>();
    expectTypeOf<RefusalOf<typeof writeRecordRoute, 409>['current']>().toEqualTypeOf<SharedRecord | null>();
    expectTypeOf<AnswerOf<typeof sessionRoute>['format']>().toEqualTypeOf<'preflight.session/v1'>();
  });

  it('reads who confirms a key and who signs from the one role table', () => {
    expect(KEY_CONFIRMERS).toEqual<Role[]>(['lead', 'data']);
    expect(rolesThatMay('sign')).toEqual<Role[]>(['lead', 'data', 'reviewer', 'steering']);
  });
});
