/**
 * The demo opened in the app and the demo project file a pipeline judges carry the same role
 * owners and readiness records, so discovery names the same unowned roles in both and the go/no-go
 * is the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assessReadiness, PROJECT_READINESS_GATES_KEY } from '../../core/readiness/index.ts';
import { parseProjectFile } from '../../formats/project.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
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
