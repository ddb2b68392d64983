import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inertnessInPage, PAYLOAD_TEXTS } from '../../../tests/e2e/xssPayloads.ts';
import type { Project } from '../../formats/project.ts';
import { OpenProjectContext, useRoute } from '../useWorkspaceRoute.ts';
import { sampleProject } from './testSamples.ts';
import { WorkflowsWorkspace } from './WorkflowsWorkspace.tsx';

const project = sampleProject();

/** The workspace as the app shows it: at the place the address names, following the address. */
function AtAddress() {
  const route = useRoute();
  if (route.workspace !== 'workflows') return <p>Elsewhere</p>;
  return <WorkflowsWorkspace project={project} place={route.place} />;
}

function openAt(hash: string, openProject?: string) {
  act(() => {
    window.location.hash = hash;
  });
  render(
    <OpenProjectContext.Provider value={openProject}>
      <AtAddress />
    </OpenProjectContext.Provider>,
  );
}

/** Moves to `hash` as Back, a link or a typed address does. */
function goTo(hash: string) {
  act(() => {
    window.location.hash = hash;
  });
}

/** The in-app links shown whose address does not name `project`. */
const linksOutside = (project: string) =>
  [...document.querySelectorAll<HTMLAnchorElement>('a[href^="#/"]')]
    .map((a) => a.getAttribute('href') ?? '')
    .filter((href) => !href.startsWith(`#/project/${project}/`));

const analysis = () => screen.getByRole('region', { name: 'Analysis of Patient intake' });
const selectedTab = () => within(analysis()).getByRole('tab', { selected: true }).textContent;

beforeEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('the Workflows workspace', () => {
  it('lists the processes with their headline numbers, without any full analysis', () => {
    openAt('#/workflows');
    expect(screen.getByRole('heading', { level: 2, name: 'Workflows' })).toBeTruthy();
    const headline = within(screen.getByRole('article', { name: 'Patient intake' })).getByRole('table');
    for (const row of ['Staff time per patient', 'Waiting per patient', 'Handoffs per patient', 'Findings']) {
      expect(within(headline).getAllByRole('rowheader', { name: row }), row).toHaveLength(1);
    }
    expect(
      within(headline)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Today', 'Planned']);
    expect(screen.getAllByRole('article')).toHaveLength(4);
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.queryByRole('region', { name: /^What Preflight found/ })).toBeNull();
  });

  it('opens a process on its own page, each tab at its own address', async () => {
    openAt('#/workflows');
    await userEvent.click(screen.getByRole('link', { name: 'Patient intake' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Patient intake' })).toBeTruthy();
    expect(window.location.hash).toBe('#/workflows/process/patient-intake/map');
    expect(selectedTab()).toBe('Map');
    await userEvent.click(within(analysis()).getByRole('tab', { name: 'Findings' }));
    expect(window.location.hash).toBe('#/workflows/process/patient-intake/findings');
    expect(selectedTab()).toBe('Findings');
  });

  it('arrow keys move between tabs, replacing the address rather than adding one per key', async () => {
    openAt('#/workflows/process/patient-intake/findings');
    const before = window.history.length;
    within(analysis()).getByRole('tab', { name: 'Findings' }).focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(selectedTab()).toBe('Today vs planned');
    await userEvent.keyboard('{ArrowRight}');
    expect(selectedTab()).toBe('Training by role');
    expect(window.location.hash).toBe('#/workflows/process/patient-intake/training');
    expect(document.activeElement?.textContent).toBe('Training by role');
    expect(window.history.length).toBe(before);
  });

  it('says a workflow or process the project does not have is not there, and offers the list', async () => {
    openAt('#/workflows/workflow/no-such-workflow');
    expect(
      screen.getByRole('heading', { level: 2, name: 'This workflow is not in the open project' }),
    ).toBeTruthy();
    const offered = within(screen.getByRole('list', { name: 'Processes in this project' }))
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(offered).toContain('Patient intake');
    act(() => {
      window.location.hash = '#/workflows/process/no-such-process/findings';
    });
    expect(
      await screen.findByRole('heading', { level: 2, name: 'This process is not in the open project' }),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole('link', { name: 'All workflows of this project' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Workflows' })).toBeTruthy();
    expect(window.location.hash).toBe('#/workflows');
  });

  it('names the open project in every link, on every Workflows screen, so a copied link opens it', async () => {
    openAt('#/workflows', project.meta.id);
    const list = document.querySelectorAll('a[href^="#/"]').length;
    expect(list).toBeGreaterThan(4);
    expect(linksOutside(project.meta.id)).toEqual([]);
    expect(screen.getAllByRole('link', { name: /in Patient intake/ })[0]?.getAttribute('href')).toBe(
      `#/project/${project.meta.id}/workflows/process/patient-intake/findings`,
    );
    for (const hash of [
      '#/workflows/process/patient-intake/map',
      '#/workflows/process/patient-intake/findings',
      '#/workflows/process/patient-intake/capacity',
      '#/workflows/document/patient-intake',
      '#/workflows/logs/discover',
      '#/workflows/document/no-such-process',
    ]) {
      goTo(hash);
      await screen.findAllByRole('heading', { level: 2 });
      expect(linksOutside(project.meta.id), hash).toEqual([]);
    }
  });

  it('says a printable document of a process the project does not have is not there', async () => {
    openAt('#/workflows/document/no-such-process');
    expect(
      await screen.findByRole('heading', { level: 2, name: 'This process is not in the open project' }),
    ).toBeTruthy();
    const offered = within(screen.getByRole('list', { name: 'Processes in this project' }))
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(offered).toContain('Patient intake');
  });
});

describe("a workflow's name, step labels and lanes typed with script-injection payloads", () => {
  it.each(PAYLOAD_TEXTS.map(({ text, numbers }) => ({ text, numbers: numbers.join(', ') })))(
    "payloads $numbers: the list, the process's map and its printable document show them as typed, with no active markup",
    async ({ text }) => {
      const typed: Project = {
        ...project,
        workflows: project.workflows.map((w) => ({
          ...w,
          name: `${w.name} ${text}`,
          steps: w.steps.map((s) => ({ ...s, label: text })),
          lanes: w.lanes.map((l) => ({ ...l, name: text })),
        })),
      };
      // every lane bears the same name: nothing may be keyed by a name alone
      const errors = vi.spyOn(console, 'error');
      const { rerender } = render(<WorkflowsWorkspace project={typed} place={{ page: 'list' }} />);
      expect(screen.getAllByRole('article')[0]?.textContent).toContain(text);
      expect(inertnessInPage()).toEqual({ ran: null, active: [] });
      for (const place of [
        { page: 'process', process: 'patient-intake', tab: 'map' },
        { page: 'document', process: 'patient-intake' },
      ] as const) {
        rerender(<WorkflowsWorkspace project={typed} place={place} />);
        await screen.findByRole('heading', { level: 2 });
        expect(document.body.textContent, place.page).toContain(text);
        expect(inertnessInPage(), place.page).toEqual({ ran: null, active: [] });
      }
      expect(errors.mock.calls.filter((c) => String(c[0]).includes('same key'))).toEqual([]);
      errors.mockRestore();
    },
  );
});
