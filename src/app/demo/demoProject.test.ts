/**
 * The demo opened in the app and the demo project file a pipeline judges carry the same role
 * owners and readiness records, so discovery names the same unowned roles in both and the go/no-go
 * is the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_GO_LIVE, demoGoLiveFor, demoShiftDays, movedDates } from '../../../samples/demoDates.ts';
import { assessReadiness, PROJECT_READINESS_GATES_KEY, pathToGo } from '../../core/readiness/index.ts';
import { readCutoverRunbook } from '../../formats/cutover.ts';
import { parseProjectFile } from '../../formats/project.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import { readTrainingRecord } from '../../formats/trainingRecord.ts';
import { demoSettings } from './demoProject.ts';

const DEMO_FILE = new URL('../../../samples/projects/demo-clinic.preflight.json', import.meta.url);

function fileProject() {
  const parsed = parseProjectFile(readFileSync(DEMO_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('the demo project file does not load');
  return parsed.value.project;
}

describe('the in-app demo and the demo project file', () => {
  it('record the same owner and stakeholders for every role', () => {
    const inApp = readRoleOwners(demoSettings());
    expect(inApp.roles.length).toBeGreaterThan(0);
    expect(inApp).toEqual(readRoleOwners(fileProject().meta.settings));
  });

  it('judge discovery alike: the same two roles without an owner', () => {
    const file = fileProject();
    const inApp = { ...file, meta: { ...file.meta, settings: demoSettings() } };
    const discovery = (p: typeof file) => assessReadiness(p).phases.find((ph) => ph.id === 'discovery');
    expect(discovery(inApp)).toEqual(discovery(file));
    expect(discovery(inApp)?.reasons.map((r) => r.text)).toContain(
      "No owner is named for Reference lab and Billing: record who speaks for each role's work and who was asked about it.",
    );
  });

  it('record the same readiness records, the file writing out the default gates besides', () => {
    const { [PROJECT_READINESS_GATES_KEY]: gates, ...recorded } = fileProject().meta.settings;
    expect(gates).toBeDefined();
    expect(demoSettings()).toEqual(recorded);
  });

  it('come to the same go/no-go for the same reasons', () => {
    const file = fileProject();
    const inApp = { ...file, meta: { ...file.meta, settings: demoSettings() } };
    const judged = assessReadiness(inApp);
    expect(judged.decision).toBe('no-go');
    expect(judged.reasons).toEqual(assessReadiness(file).reasons);
    expect(judged.reasons.map((r) => r.text).join('\n')).not.toMatch(/^No (cutover runbook|command centre)/m);
  });
});

describe('a demo opened on a given day plans its go-live from that day', () => {
  // fixed days, never the real clock: a Friday, and a Monday (go-live stays a Monday as written)
  const FRIDAY = '2026-11-27';
  const MONDAY = '2026-11-30';

  it('goes live on the first Monday at least two weeks ahead', () => {
    expect(demoGoLiveFor(FRIDAY)).toBe('2026-12-14');
    expect(demoGoLiveFor(`${MONDAY}T23:59:00Z`)).toBe('2026-12-14');
    expect(demoGoLiveFor(DEMO_GO_LIVE)).toBe('2024-08-12');
    expect(new Date(`${demoGoLiveFor('2027-02-26')}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('moves every dated item with it: days, times and days in words', () => {
    const settings = demoSettings(FRIDAY);
    expect(readRollbackPlan(settings)?.goLiveDate).toBe('2026-12-14');
    expect(readRollbackPlan(settings)?.lastDrill).toBe('2026-11-12');
    const steps = readCutoverRunbook(settings)?.steps ?? [];
    expect(steps.find((s) => s.id === 'freeze')?.plannedAt).toBe('2026-12-11T17:00');
    expect(readTrainingRecord(settings).support?.[0]?.shift).toBe('Mon 14 December, morning');
    expect(readTrainingRecord(settings).support?.at(-1)?.shift).toBe('Tue 15 December to Fri 18 December');
    // nothing of the written year is left in a fresh demo's records
    expect(JSON.stringify(settings)).not.toMatch(/2024|July|August/);
  });

  it('reads as a plan when fresh: no due day of its path to go is past', () => {
    const file = fileProject();
    const fresh = { ...file, meta: { ...file.meta, settings: demoSettings(FRIDAY) } };
    const path = pathToGo(fresh, assessReadiness(fresh), FRIDAY);
    expect(path.length).toBeGreaterThan(0);
    expect(path.map((a) => a.dueState)).not.toContain('past');
    expect(path.filter((a) => a.dueState === 'ahead').length).toBeGreaterThan(0);
    // opened then and judged after its go-live, its due days are flagged as past, never a plan
    const later = pathToGo(fresh, assessReadiness(fresh), '2027-01-04');
    expect(later.filter((a) => a.due !== null).map((a) => a.dueState)).toEqual(
      later.filter((a) => a.due !== null).map(() => 'past'),
    );
  });

  it('comes to the same go/no-go for the same reasons as the demo as written', () => {
    const file = fileProject();
    const fresh = { ...file, meta: { ...file.meta, settings: demoSettings(FRIDAY) } };
    expect(assessReadiness(fresh).reasons.map((r) => r.text)).toEqual(
      assessReadiness(file).reasons.map((r) => movedDates(r.text, demoShiftDays(demoGoLiveFor(FRIDAY)))),
    );
  });

  it('keeps the demo as written when moved by nothing', () => {
    const written = demoSettings();
    expect(movedDates(written, 0)).toBe(written);
    expect(movedDates({ at: '2024-07-08T10:30:00+02:00', words: 'from 29 July' }, 7)).toEqual({
      at: '2024-07-15T10:30:00+02:00',
      words: 'from 5 August',
    });
  });
});
