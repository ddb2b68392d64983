import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile } from './project.ts';
import { loadAny } from './registry.ts';
import { fixtureProject } from './testing/fixtures.ts';
import { checkWaiver, createWaiversFile, loadWaivers, readProjectWaivers, type Waiver } from './waivers.ts';

const waiver: Waiver = {
  id: 'w1',
  rule: 'contract-required',
  column: 'birth_date',
  rationale: 'walk-ins have no birth date in the old system',
  owner: 'Dana Whitfield',
  expires: '2026-06-30',
};

describe('preflight.waivers/v1', () => {
  it('loads a file it wrote, also through the registry', () => {
    const file = createWaiversFile([
      waiver,
      { ...waiver, id: 'w2', column: undefined, extension: 'http://x/e' },
    ]);
    const json = JSON.parse(JSON.stringify(file));
    expect(loadWaivers(json)).toMatchObject({ ok: true });
    expect(loadAny(json)).toMatchObject({ ok: true, format: { title: 'accepted issues' } });
  });

  const refused: [string, Record<string, unknown>, string, string][] = [
    ['a blank rationale', { rationale: '  ' }, '/waivers/0/rationale', 'wrong-form'],
    ['no owner', { owner: undefined }, '/waivers/0/owner', 'missing-field'],
    ['no expiry', { expires: undefined }, '/waivers/0/expires', 'missing-field'],
    ['an expiry not on the calendar', { expires: '2026-02-30' }, '/waivers/0/expires', 'out-of-range'],
    ['rows in the wrong order', { rows: [{ from: 9, to: 3 }] }, '/waivers/0/rows/0', 'inconsistent'],
    ['both a column and an extension', { extension: 'http://x/e' }, '/waivers/0', 'conflicting-fields'],
  ];
  it.each(refused)('refuses %s', (_name, change, path, code) => {
    const result = loadWaivers(createWaiversFile([{ ...waiver, ...change } as Waiver]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.code])).toContainEqual([path, code]);
  });

  it('refuses two waivers with one id', () => {
    const result = loadWaivers(createWaiversFile([waiver, waiver]));
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['duplicate-id']);
  });

  it('checks one waiver as an editor saves it', () => {
    expect(checkWaiver(waiver)).toEqual([]);
    expect(new Set(checkWaiver({ ...waiver, owner: '' }).map((p) => p.path))).toEqual(new Set(['/owner']));
    expect(checkWaiver({ ...waiver, column: undefined }).map((p) => p.code)).toEqual(['missing-field']);
    expect(checkWaiver({ ...waiver, expires: '2026-13-01' }).map((p) => p.path)).toEqual(['/expires']);
  });

  it('reads a project’s waivers, leaving out (and reporting) what does not check', () => {
    expect(readProjectWaivers({})).toEqual({ waivers: [], problems: [] });
    const read = readProjectWaivers({ waivers: [waiver, { ...waiver, id: 'w2', owner: '' }] });
    expect(read.waivers).toEqual([waiver]);
    expect(new Set(read.problems.map((p) => p.path))).toEqual(new Set(['/meta/settings/waivers/1/owner']));
    expect(readProjectWaivers({ waivers: 'all' }).problems.map((p) => p.code)).toEqual(['wrong-type']);
  });
});

describe('waivers in a project file', () => {
  const withWaivers = (waivers: unknown[]) => {
    const project = fixtureProject();
    return JSON.parse(
      JSON.stringify(
        createProjectFile(
          { ...project, meta: { ...project.meta, settings: { ...project.meta.settings, waivers } } },
          { now: '2026-03-02T12:00:00Z', appVersion: '0.1.0' },
        ),
      ),
    );
  };

  it('travel with an export and load back', () => {
    const loaded = loadProjectFile(withWaivers([waiver]));
    expect(loaded.ok && loaded.value.project.meta.settings.waivers).toEqual([waiver]);
  });

  it('refuse a waiver without an owner; warn of one with both a column and an extension', () => {
    const refused = loadProjectFile(withWaivers([{ ...waiver, owner: '' }]));
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toContain(
      '/project/meta/settings/waivers/0/owner',
    );
    const warned = loadProjectFile(withWaivers([{ ...waiver, extension: 'http://x/e' }]));
    expect(warned.ok && warned.warnings?.map((p) => [p.path, p.code])).toEqual([
      ['/project/meta/settings/waivers/0', 'conflicting-fields'],
    ]);
  });
});
