/**
 * The project bar over the real project session and real storage (fake-indexeddb): naming,
 * choosing, deleting, exporting and importing projects as a user does it, with the session's
 * notices and refusals shown as the app shows them. jsdom has no Worker: the project-file worker's
 * own API (workers/projectFileApi.ts) runs in the test's thread instead (the component project's
 * stand-in, src/app/projects/testing/inProcessProjectFileClient.ts), so what a file is refused
 * for is decided by the same code as in the app; that the import really runs in a worker is the
 * journey's to prove.
 */
import 'fake-indexeddb/auto';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { createProjectFile } from '../../formats/project.ts';
import { MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';
import { openStorage } from '../../storage/storage.ts';
import { captureDownloads } from '../common/testing/downloads.ts';
import { createJobRegistry, type JobRegistry } from '../jobs/jobRegistry.ts';
import { JobsContext } from '../jobs/jobsContext.ts';
import { ImportProgress, ProjectBar } from './ProjectBar.tsx';
import { createProjectSession, type ProjectSession } from './projectSession.ts';

const NOW = '2026-11-02T09:00:00.000Z';
const DB = 'preflight-project-bar-test';

const sessions: ProjectSession[] = [];
let factory: IDBFactory;
/** What the app downloaded (Export): the file's name and text. */
let downloads: Map<string, Blob>;

beforeEach(() => {
  factory = new IDBFactory();
  downloads = captureDownloads();
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
  vi.restoreAllMocks();
});

/**
 * Renders the project bar over a new session, with the session's refusal (role="alert") and
 * notice (role="status") under it as the app shows them; resolves once the demo clinic is open.
 */
async function renderBar(jobs: JobRegistry | null = null): Promise<ProjectSession> {
  let show: (state: ReturnType<ProjectSession['getState']>) => void = () => {};
  const session = createProjectSession({
    openStorage: () => openStorage(DB, { factory }),
    createDemo: async (now) => createProject({ name: 'Demo clinic', now }),
    now: () => NOW,
    onState: (state) => show(state),
  });
  sessions.push(session);
  function Shell() {
    const [state, setState] = useState(session.getState());
    useEffect(() => {
      show = setState;
      setState(session.getState());
    }, []);
    return (
      <>
        {state.phase === 'ready' && (
          <ProjectBar state={state} session={session} onChoose={(id) => void session.open(id)} />
        )}
        {state.error && <p role="alert">{state.error}</p>}
        {state.notice && (
          <div role="status">
            <p>{state.notice}</p>
            <button type="button" onClick={() => session.dismissMessages()}>
              Dismiss
            </button>
          </div>
        )}
      </>
    );
  }
  render(
    <JobsContext value={jobs}>
      <Shell />
    </JobsContext>,
  );
  await screen.findByRole('option', { name: 'Demo clinic', selected: true });
  return session;
}

const chooser = () => screen.getByRole('combobox', { name: 'Project' });
const optionNames = () =>
  within(chooser())
    .getAllByRole('option')
    .map((o) => o.textContent);
const notice = (text: string | RegExp) => screen.findByText(text, { selector: '[role="status"] p' });

async function createNamed(name: string): Promise<void> {
  await userEvent.click(screen.getByRole('button', { name: 'New project' }));
  const dialog = screen.getByRole('dialog', { name: 'New project' });
  await userEvent.type(within(dialog).getByRole('textbox', { name: 'Project name' }), name);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create project' }));
}

async function renameTo(name: string): Promise<void> {
  await userEvent.click(screen.getByRole('button', { name: 'Rename' }));
  const dialog = screen.getByRole('dialog', { name: 'Rename project' });
  const field = within(dialog).getByRole('textbox', { name: 'Project name' });
  await userEvent.clear(field);
  await userEvent.click(field);
  await userEvent.paste(name);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
}

/** Chooses a file in the bar's import, as the file picker does. */
async function importText(fileName: string, text: string): Promise<void> {
  const file = new File([text], fileName, { type: 'application/json' });
  await userEvent.upload(screen.getByLabelText('Import a project file'), file);
}

function projectFileText(project: Project): string {
  return JSON.stringify(createProjectFile(project, { now: NOW, appVersion: '0.1.0' }));
}

/** An empty project whose name may break the rule (createProject refuses such names, as the app does). */
function projectNamed(name: string): Project {
  const project = createProject({ name: 'placeholder', now: NOW });
  return { ...project, meta: { ...project.meta, name } };
}

describe('ProjectBar', () => {
  it('stops running jobs before it wipes, so none writes its journal or key files again', async () => {
    const jobs = createJobRegistry();
    let signal: AbortSignal | undefined;
    const id = jobs.start({
      kind: 'validate',
      label: 'Validation',
      subject: 'patients.csv',
      run: (context) => {
        signal = context.signal;
        return new Promise(() => {});
      },
    });
    const session = await renderBar(jobs);
    const seenAtWipe: string[] = [];
    const wipe = session.wipe.bind(session);
    vi.spyOn(session, 'wipe').mockImplementation(() => {
      seenAtWipe.push(jobs.getJobs().find((job) => job.id === id)?.status ?? 'gone', String(signal?.aborted));
      return wipe();
    });
    await userEvent.click(screen.getByRole('button', { name: 'Close and wipe' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Close and wipe everything?' })).getByRole('button', {
        name: 'Wipe everything',
      }),
    );
    await waitFor(() => expect(session.getState().phase).toBe('wiped'));
    expect(seenAtWipe).toEqual(['cancelled', 'true']);
    expect(jobs.getJobs().find((job) => job.id === id)).toMatchObject({ reason: 'projectWiped' });
    jobs.destroy();
  });

  it('creates a project from the dialog and opens it; a too-long name is refused and nothing is created', async () => {
    await renderBar();
    await userEvent.click(screen.getByRole('button', { name: 'New project' }));
    const dialog = screen.getByRole('dialog', { name: 'New project' });
    expect(within(dialog).getByText(`Up to ${MAX_PROJECT_NAME_LENGTH} characters.`)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Project name' }));
    await userEvent.paste('N'.repeat(MAX_PROJECT_NAME_LENGTH + 1));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create project' }));
    expect(within(dialog).getByRole('alert').textContent).toContain(
      `at most ${MAX_PROJECT_NAME_LENGTH} characters`,
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(optionNames()).toEqual(['Demo clinic']);

    await createNamed('  Northside Family Practice  ');
    await notice('Project “Northside Family Practice” created.');
    await screen.findByRole('option', { name: 'Northside Family Practice', selected: true });
    expect(optionNames()).toEqual(['Demo clinic', 'Northside Family Practice']);
  });

  it('a spaces-only rename is refused in place; a rename shows at once, unsaved until stored', async () => {
    await renderBar();
    await userEvent.click(screen.getByRole('button', { name: 'Rename' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename project' });
    const field = within(dialog).getByRole('textbox', { name: 'Project name' });
    expect((field as HTMLInputElement).value).toBe('Demo clinic');
    await userEvent.clear(field);
    await userEvent.type(field, '   ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(within(dialog).getByRole('alert').textContent).toContain('the name given is blank');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(optionNames()).toEqual(['Demo clinic']);

    await renameTo('Northside FP — go-live 2027');
    // the chooser and the save status change in the same render: "Saved" after it means this name
    expect(screen.getByRole('option', { name: 'Northside FP — go-live 2027', selected: true })).toBeTruthy();
    expect(screen.getByText('Unsaved changes…')).toBeTruthy();
    await screen.findByText(/^Saved/);
  });

  it('tells two projects with the same name apart', async () => {
    await renderBar();
    await createNamed('Clinic A');
    await screen.findByRole('option', { name: 'Clinic A', selected: true });
    await createNamed('Clinic A');
    await waitFor(() => expect(optionNames()).toHaveLength(3));
    const clinics = optionNames().filter((name) => name?.startsWith('Clinic A'));
    expect(new Set(clinics).size).toBe(2);
    for (const label of clinics) expect(label).toMatch(/^Clinic A · created 2026-11-02/);
  });

  it('shows the longest allowed name whole in the chooser’s tooltip', async () => {
    await renderBar();
    const longest = `Northside ${'Family Practice '.repeat(10)}`
      .slice(0, MAX_PROJECT_NAME_LENGTH - 1)
      .concat('Z');
    await renameTo(longest);
    await screen.findByRole('option', { name: longest, selected: true });
    expect(chooser().getAttribute('title')).toBe(longest);
  });

  it('deleting asks first: Cancel keeps the project, "Delete project" removes it', async () => {
    await renderBar();
    await createNamed('Clinic B');
    await screen.findByRole('option', { name: 'Clinic B', selected: true });
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete project?' });
    expect(confirm.textContent).toContain('“Clinic B” and everything saved in it');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(optionNames()).toEqual(['Clinic B', 'Demo clinic']);

    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    await notice('Project “Clinic B” deleted.');
    expect(optionNames()).toEqual(['Demo clinic']);
  });

  it('exports the open project to one file, and imports it back after a delete', async () => {
    await renderBar();
    await renameTo('Survives a crash');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(downloads.size).toBe(1));
    const [exported] = [...downloads].map(([name, blob]) => ({ name, blob }));
    expect(exported?.name).toBe('Survives-a-crash.preflight.json');
    const text = (await exported?.blob.text()) ?? '';
    const file = JSON.parse(text);
    expect(file.format).toBe('preflight.project/v1');
    expect(file.project.meta.name).toBe('Survives a crash');

    await createNamed('Another');
    await screen.findByRole('option', { name: 'Another', selected: true });
    await chooserSelect('Survives a crash');
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    await notice('Project “Survives a crash” deleted.');

    await importText('Survives-a-crash.preflight.json', text);
    await notice('Imported “Survives a crash”.');
    expect(screen.getByRole('option', { name: 'Survives a crash', selected: true })).toBeTruthy();
    // the success notice can be dismissed
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Imported “Survives a crash”.')).toBeNull();
  });

  it('refuses a damaged, an edited, a too-new file and a broken name, saying what and where, losing nothing', async () => {
    await renderBar();
    const good = projectFileText(createProject({ name: 'Clinic C', now: NOW }));
    const cases: [string, string, RegExp][] = [
      ['truncated.preflight.json', good.slice(0, good.length / 2), /line \d+/i],
      [
        'edited.preflight.json',
        JSON.stringify({
          ...JSON.parse(good),
          project: {
            ...JSON.parse(good).project,
            meta: { ...JSON.parse(good).project.meta, name: 'Edited by hand' },
          },
        }),
        /./,
      ],
      [
        'newer.preflight.json',
        JSON.stringify({ ...JSON.parse(good), format: 'preflight.project/v9' }),
        /newer/,
      ],
      [
        'huge-name.json',
        projectFileText(projectNamed('x'.repeat(10_000))),
        new RegExp(
          `A project name can be at most ${MAX_PROJECT_NAME_LENGTH} characters long.*/project/meta/name`,
        ),
      ],
      ['blank-name.json', projectFileText(projectNamed('   ')), /A project needs a name/],
    ];
    for (const [name, text, why] of cases) {
      await importText(name, text);
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain(`“${name}” was not imported`);
      expect(alert.textContent).toMatch(why);
      // the message says where and what kind, never the value
      expect(alert.textContent).not.toContain('x'.repeat(200));
      await act(async () => sessions[0]?.dismissMessages());
    }
    expect(optionNames()).toEqual(['Demo clinic']);
  });
});

/** Chooses a project in the chooser (the app's `onChoose` opens it). */
async function chooserSelect(name: string): Promise<void> {
  await userEvent.selectOptions(chooser(), screen.getByRole('option', { name }));
  await screen.findByRole('option', { name, selected: true });
}

describe('ImportProgress', () => {
  it('shows reading with a measure, then checking without one, and offers Cancel', async () => {
    const cancelled: string[] = [];
    const { rerender } = render(
      <ImportProgress
        state={{
          phase: 'running',
          fileName: 'large.preflight.json',
          progress: {
            stage: 'reading',
            progress: {
              done: 6_000_000,
              total: 24_000_000,
              unit: 'bytes',
              ratePerSecond: 0,
              etaSeconds: null,
            },
          },
        }}
        onCancel={() => cancelled.push('cancel')}
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Importing large.preflight.json' });
    expect(bar.getAttribute('value')).toBe('25');
    expect(screen.getByText(': reading the file…')).toBeTruthy();
    expect(screen.getByText('25 % — 6.0 MB of 24.0 MB', { exact: false })).toBeTruthy();

    rerender(
      <ImportProgress
        state={{ phase: 'running', fileName: 'large.preflight.json', progress: { stage: 'checking' } }}
        onCancel={() => cancelled.push('cancel')}
      />,
    );
    // parsing has no measure: an indeterminate bar
    expect(
      screen.getByRole('progressbar', { name: 'Importing large.preflight.json' }).hasAttribute('value'),
    ).toBe(false);
    expect(screen.getByText(': checking the project…')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel import' }));
    expect(cancelled).toEqual(['cancel']);

    rerender(<ImportProgress state={{ phase: 'idle' }} onCancel={() => {}} />);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
