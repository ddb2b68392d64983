import { describe, expect, it } from 'vitest';
import { validateLogMap } from '../../../formats/generated/validators.js';
import { readCsvLogText } from './csvLog.ts';
import { keptLogMap, LOG_MAP_ID, logMapOf } from './logMap.ts';
import { buildProcessMap } from './processMap.ts';

const FILE = { name: 'clinic.csv', bytes: 321, sha256: 'a'.repeat(64) };
const FILTERS = {
  coverage: 80,
  minActivity: 1,
  from: '2025-06-01',
  to: '',
  workingHours: false,
  startHour: 8,
  endHour: 18,
  workingTime: true,
  mapActivities: 100,
  variants: [['Check in', 'Visit']],
};

const text = [
  'case,activity,start,complete,resource',
  'MRN-1,Check in,2025-06-02T08:00:00Z,2025-06-02T08:05:00Z,Dr Secret',
  'MRN-1,Visit,2025-06-02T08:15:00Z,2025-06-02T08:35:00Z,Dr Secret',
  'MRN-2,Check in,2025-06-02T09:00:00Z,2025-06-02T09:05:00Z,Nurse Hidden',
].join('\n');
const mapping = {
  case: 'case',
  activity: 'activity',
  start: 'start',
  complete: 'complete',
  resource: 'resource',
};
const map = buildProcessMap(readCsvLogText(text, { mapping }).log);

describe('logMapOf', () => {
  const kept = logMapOf(map, FILE, FILTERS, '2025-06-03T10:00:00.000Z');

  it('keeps the map, its variants and durations as measured, valid for the project format', () => {
    expect(kept.id).toBe(LOG_MAP_ID);
    expect(kept.map).toEqual(JSON.parse(JSON.stringify(map)));
    expect(kept.map.activities.map((a) => a.duration)).toEqual([
      { medianMin: 5, meanMin: 5, timed: 2 },
      { medianMin: 20, meanMin: 20, timed: 1 },
    ]);
    expect(validateLogMap(kept)).toBe(true);
  });

  it('keeps no case id, resource or field the format does not name', () => {
    const json = JSON.stringify(logMapOf({ ...map, extra: 'MRN-1' } as typeof map, FILE, FILTERS, 'x'));
    for (const secret of ['MRN-', 'Dr Secret', 'Nurse Hidden', 'extra']) expect(json).not.toContain(secret);
  });

  it('copies the filters rather than sharing them', () => {
    const filters = { ...FILTERS, variants: [['Visit']] };
    const copy = logMapOf(map, FILE, filters, '2025-06-03T10:00:00.000Z');
    filters.variants[0]?.push('Labs');
    expect(copy.filters.variants).toEqual([['Visit']]);
  });

  it('keeps the filter by role or system, and without one writes none', () => {
    const attribute = { attribute: 'role' as const, values: ['Lab'], keep: 'without' as const };
    const withRole = logMapOf(map, FILE, { ...FILTERS, attribute }, '2025-06-03T10:00:00.000Z');
    expect(withRole.filters.attribute).toEqual(attribute);
    expect(withRole.filters.attribute?.values).not.toBe(attribute.values);
    expect(validateLogMap(withRole)).toBe(true);
    expect('attribute' in kept.filters).toBe(false);
    // the format names roles and systems only: the resource column is refused
    const person = {
      ...withRole,
      filters: { ...withRole.filters, attribute: { ...attribute, attribute: 'resource' } },
    };
    expect(validateLogMap(person)).toBe(false);
  });

  it('keeps a stack of conditions, a kept column by name, and drops a stray column name', () => {
    const attributes = [
      { attribute: 'column' as const, column: 'department', values: ['Cardiology'], keep: 'with' as const },
      { attribute: 'system' as const, column: 'stray', values: ['EHR'], keep: 'without' as const },
    ];
    const stacked = logMapOf(map, FILE, { ...FILTERS, attributes }, '2025-06-03T10:00:00.000Z');
    expect(stacked.filters.attributes).toEqual([
      attributes[0],
      { attribute: 'system', values: ['EHR'], keep: 'without' },
    ]);
    expect(validateLogMap(stacked)).toBe(true);
    expect(
      'attributes' in logMapOf(map, FILE, { ...FILTERS, attributes: [] }, '2025-06-03T10:00:00.000Z').filters,
    ).toBe(false);
  });

  it.each([
    { title: 'a project without kept maps', maps: undefined, found: null },
    { title: 'an empty list', maps: [], found: null },
    { title: 'the kept map', maps: [kept], found: kept },
    { title: 'a map under another id', maps: [{ ...kept, id: 'other' }], found: null },
  ])('finds $title', ({ maps, found }) => {
    expect(keptLogMap(maps)).toBe(found);
  });
});
