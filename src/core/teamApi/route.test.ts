/**
 * The contracts as both ends read them: a route's address built from its params (each one a
 * percent-encoded path segment, never a way out of the path), and the types the browser and the
 * server take from one schema (checked by the compiler; `expectTypeOf` fails the typecheck).
 */

import { Value } from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import type { SharedRecord, SharedRecordKind } from '../teamRecords/index.ts';
import {
  type AnswerOf,
  type BodyOf,
  KEY_CONFIRMERS,
  matchesAuditFilter,
  type ParamsOf,
  pathOf,
  projectAuditRoute,
  pullRecordsRoute,
  type QueryOf,
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

  it('reads the audit log whole, or filtered by optional kind, person and record, and nothing else', () => {
    expect(pathOf(projectAuditRoute, { projectId: 'p1' })).toBe('/api/projects/p1/audit');
    expect(pathOf(projectAuditRoute, { projectId: 'p1' }, { kind: 'attempt-refused', record: 'MRN-7' })).toBe(
      '/api/projects/p1/audit?kind=attempt-refused&record=MRN-7',
    );
    const query = projectAuditRoute.query;
    expect(Value.Check(query, {})).toBe(true);
    expect(Value.Check(query, { kind: 'signature', person: 'rita', record: '3' })).toBe(true);
    expect(Value.Check(query, { who: 'rita' }), 'an unknown filter is refused').toBe(false);
    expect(Value.Check(query, { person: '' }), 'an empty filter is refused').toBe(false);
    expect(Value.Check(query, { record: 'x'.repeat(321) }), 'a filter is bounded').toBe(false);
    expectTypeOf<QueryOf<typeof projectAuditRoute>>().toEqualTypeOf<{
      kind?: string;
      person?: string;
      record?: string;
    }>();
  });

  it.each([
    { filter: { kind: 'attempt-refused' }, matches: [1, 2] },
    { filter: { person: 'rita' }, matches: [1, 3], why: 'by her, or about her' },
    { filter: { record: '3' }, matches: [1] },
    { filter: { record: 'MRN-3' }, matches: [1] },
    { filter: { kind: 'attempt-refused', person: 'rex' }, matches: [2] },
  ])('filters the audit log by $filter', ({ filter, matches }) => {
    const actor = (subject: string) => ({ issuer: 'i', subject, name: subject });
    const entries: ServerAuditRecord[] = (
      [
        {
          seq: 1,
          kind: 'attempt-refused',
          actor: actor('rita'),
          detail: { project: 'p', record: '3', recordKey: 'MRN-3' },
        },
        { seq: 2, kind: 'attempt-refused', actor: actor('rex'), detail: { project: 'p', record: '4' } },
        { seq: 3, kind: 'member-added', actor: actor('lena'), detail: { project: 'p', subject: 'rita' } },
      ] as { seq: number; kind: string; actor: ServerAuditRecord['actor']; detail: Record<string, string> }[]
    ).map((e) => ({ ...e, at: 't', prevHash: 'x', hash: 'y' }));
    expect(entries.filter((e) => matchesAuditFilter(e, filter)).map((e) => e.seq)).toEqual(matches);
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
