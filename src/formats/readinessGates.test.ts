import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from './project.ts';
import { DEFAULT_READINESS_GATES, readReadinessGates, withReadinessGates } from './readinessGates.ts';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'project.schema.json'), 'utf8')) as {
  $defs: { readinessGates: { properties: Record<string, { default: unknown }> } };
};

const now = '2026-11-24T00:00:00Z';
const project: Project = {
  meta: { id: 'p', name: 'Clinic', createdAt: now, updatedAt: now, settings: {} },
  workflows: [],
  mappings: [],
  samplePlans: [],
  reports: [],
  datasets: [],
  schemas: [],
};
const fileWith = (gates: unknown) =>
  JSON.parse(
    JSON.stringify(
      createProjectFile(
        { ...project, meta: { ...project.meta, settings: { readinessGates: gates } } },
        { now: '2026-11-24T00:00:00Z', appVersion: '0.1.0' },
      ),
    ),
  );

describe('readiness gates', () => {
  it('the code defaults are the schema’s documented defaults, gate for gate', () => {
    const documented = Object.fromEntries(
      Object.entries(schema.$defs.readinessGates.properties).map(([name, p]) => [name, p.default]),
    );
    expect(documented).toEqual({ ...DEFAULT_READINESS_GATES });
  });

  it.each([
    { name: 'no gates written', settings: {}, gates: DEFAULT_READINESS_GATES },
    {
      name: 'one gate written, the rest default',
      settings: { readinessGates: { minValidShare: 0.95 } },
      gates: { ...DEFAULT_READINESS_GATES, minValidShare: 0.95 },
    },
    {
      name: 'every gate written',
      settings: {
        readinessGates: {
          minValidShare: 1,
          requireSignoff: false,
          findingsBlockAt: 'warn',
          maxPeakUtilisation: 0.7,
          maxGoLiveUtilisation: 0.6,
          safetyItemsAtLeast: 'full',
          safetyGuides: { 'test-results': 'full' },
          minTrainedShare: 0.75,
          superUserPerRole: false,
          minSupportPerShift: 2,
          requireRollbackPlan: false,
          maxDrillAgeDays: 30,
          requireDressRehearsal: true,
          requirePartnersReady: true,
        },
      },
      gates: {
        minValidShare: 1,
        requireSignoff: false,
        findingsBlockAt: 'warn',
        maxPeakUtilisation: 0.7,
        maxGoLiveUtilisation: 0.6,
        safetyItemsAtLeast: 'full',
        safetyGuides: { 'test-results': 'full' },
        minTrainedShare: 0.75,
        superUserPerRole: false,
        minSupportPerShift: 2,
        requireRollbackPlan: false,
        maxDrillAgeDays: 30,
        requireDressRehearsal: true,
        requirePartnersReady: true,
      },
    },
  ])('reads $name', ({ settings, gates }) => {
    expect(readReadinessGates(settings)).toEqual({ gates, problems: [] });
  });

  it.each([
    { value: { minValidShare: 99 }, path: '/meta/settings/readinessGates/minValidShare' },
    { value: { maxGoLiveUtilisation: 0 }, path: '/meta/settings/readinessGates/maxGoLiveUtilisation' },
    { value: { requireSignoff: 'yes' }, path: '/meta/settings/readinessGates/requireSignoff' },
    { value: { findingsBlockAt: 'info' }, path: '/meta/settings/readinessGates/findingsBlockAt' },
    { value: { safetyItemsAtLeast: 'most' }, path: '/meta/settings/readinessGates/safetyItemsAtLeast' },
    { value: { minTrainedShare: 1.5 }, path: '/meta/settings/readinessGates/minTrainedShare' },
    { value: { superUserPerRole: 'yes' }, path: '/meta/settings/readinessGates/superUserPerRole' },
    { value: { minSupportPerShift: 1.5 }, path: '/meta/settings/readinessGates/minSupportPerShift' },
    { value: { requireRollbackPlan: 'yes' }, path: '/meta/settings/readinessGates/requireRollbackPlan' },
    { value: { maxDrillAgeDays: -1 }, path: '/meta/settings/readinessGates/maxDrillAgeDays' },
    { value: 'strict', path: '/meta/settings/readinessGates' },
  ])('a wrong value takes its default and is reported at $path', ({ value, path }) => {
    const read = readReadinessGates({ readinessGates: value });
    expect(read.gates).toEqual(DEFAULT_READINESS_GATES);
    expect(read.problems.map((p) => p.path)).toEqual([path]);
  });

  it('writing gates keeps the other settings', () => {
    const settings = { workflowAnalysis: { thresholds: { clickBudgetPerStep: 12 } } };
    expect(withReadinessGates(settings, { minValidShare: 0.98 })).toEqual({
      ...settings,
      readinessGates: { minValidShare: 0.98 },
    });
  });

  it('a project file carries its gates through export and import', () => {
    const loaded = loadProjectFile(fileWith({ minValidShare: 0.97, requireSignoff: false }));
    expect(loaded.ok).toBe(true);
    if (loaded.ok)
      expect(readReadinessGates(loaded.value.project.meta.settings).gates).toEqual({
        ...DEFAULT_READINESS_GATES,
        minValidShare: 0.97,
        requireSignoff: false,
      });
  });

  it.each([
    { gates: { minValidShare: 1.5 }, path: '/project/meta/settings/readinessGates/minValidShare' },
    { gates: { maxPeakUtilisation: 0 }, path: '/project/meta/settings/readinessGates/maxPeakUtilisation' },
    { gates: { findingsBlockAt: 'off' }, path: '/project/meta/settings/readinessGates/findingsBlockAt' },
    { gates: { minValidShre: 0.9 }, path: '/project/meta/settings/readinessGates/minValidShre' },
    { gates: { maxDrillAgeDays: 2.5 }, path: '/project/meta/settings/readinessGates/maxDrillAgeDays' },
  ])('a project file with a gate out of range is refused at $path', ({ gates, path }) => {
    const loaded = loadProjectFile(fileWith(gates));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.map((p) => p.path)).toContain(path);
  });
});
