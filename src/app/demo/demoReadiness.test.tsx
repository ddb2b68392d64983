/**
 * The demo clinic as "Open the demo" creates it shows content in every section of the Readiness
 * screen: a newcomer sees a runbook, a command centre, a rehearsal, a communication plan, the
 * partners, a training record, a rollback plan and rated safety practices, not empty forms. The
 * bundled extracts are read from disk where the browser would fetch them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Project } from '../../formats/project.ts';
import { ReadinessWorkspace } from '../readiness/ReadinessWorkspace.tsx';
import type { ReadinessTab } from '../route.ts';
import { createDemoProject } from './demoProject.ts';
import { SAMPLE_EXTRACTS } from './sampleExtracts.ts';

let project: Project;

beforeAll(async () => {
  vi.stubGlobal('fetch', async (url: string) => {
    const sample = SAMPLE_EXTRACTS.find((s) => s.url === url);
    if (!sample) return new Response(null, { status: 404 });
    return new Response(readFileSync(join(process.cwd(), sample.path)));
  });
  project = await createDemoProject('2024-07-08T09:00:00Z');
});

afterAll(() => {
  vi.unstubAllGlobals();
});

afterEach(cleanup);

async function openOn(tab: ReadinessTab) {
  // as the app opens it: editable (what is saved is not looked at here)
  render(<ReadinessWorkspace project={project} tab={tab} onTab={() => {}} dispatch={() => {}} />);
}

describe('the demo clinic opened in the app', () => {
  it('describes the bundled extracts', () => {
    expect(project.datasets.map((d) => d.name)).toEqual(['encounters.csv', 'patients.csv']);
    expect(project.datasets.every((d) => d.bytes > 0 && (d.columns?.length ?? 0) > 0)).toBe(true);
  });

  it('opens on a board where the runbook, command centre and preparation are recorded', async () => {
    await openOn('decision');
    const decision = screen.getByTestId('readiness-decision');
    expect(decision.querySelector('h3')?.textContent).toBe('Decision: No-go');
    const text = decision.textContent ?? '';
    expect(text).not.toMatch(/No cutover runbook|No command centre|not recorded/i);
    expect(text).toContain('Training');
  });

  it('shows the runbook, the command centre, the rehearsal, the communication plan and the partners', async () => {
    await openOn('cutover');
    expect(screen.getByTestId('runbook-state').textContent).toBe('Incomplete');
    expect(screen.getByLabelText('Step 2: what is done')).toHaveProperty(
      'value',
      'Freeze new registrations in the old system',
    );
    expect(screen.getByTestId('command-centre-state').textContent).toBe('Ready');
    expect(screen.getByDisplayValue('Practice office, room 2.14 (call bridge 4410)')).toBeTruthy();
    for (const id of ['rehearsal-state', 'communication-state', 'partners-state'])
      expect(screen.getByTestId(id).textContent, id).not.toBe('Not recorded');
  });

  it('shows the training record with its super-users and the go-live support', async () => {
    await openOn('training');
    const record = screen.getByTestId('training-record');
    expect(record.textContent).not.toMatch(/not recorded/i);
    expect(record.textContent).toContain('2 super-users');
    expect(screen.getByTestId('support-status').textContent).not.toMatch(/not recorded/i);
  });

  it.each<[ReadinessTab, string[]]>([
    ['training', ['Training and go-live support']],
    ['safety', ['Rollback and downtime plan', 'Safety self-assessment']],
    ['cutover', ['Cutover runbook', 'Command centre']],
    ['gates', ['Gates in effect']],
    ['steering', ['Steering committee decision']],
  ])('holds on its %s tab each part it names', async (tab, headings) => {
    await openOn(tab);
    for (const name of headings) expect(screen.getByRole('heading', { level: 3, name }), name).toBeTruthy();
  });

  it('shows the rollback plan and rated safety practices', async () => {
    await openOn('safety');
    const plan = screen.getByTestId('rollback-plan');
    expect(plan.textContent).not.toContain('Not recorded yet');
    expect(within(plan).getByLabelText('Yes, a plan is in place')).toHaveProperty('checked', true);
    expect(screen.getAllByText('Fully implemented').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Partially implemented').length).toBeGreaterThan(0);
    // a practice's note is read beside its owner and evidence, not only in its form
    expect(document.body.textContent).toContain(
      '· owner: Tom Hale · evidence: IT security checklist v2 · Multi-factor sign-in for remote access only',
    );
  });
});
