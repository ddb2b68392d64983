/**
 * Editing what travels beside the work from the inspector, by keyboard: renaming a pool, adding
 * and removing a message between steps of two pools, adding, renaming and removing a document
 * and its link to a step. Each is one edit of the editor's history: undo takes it back and redo
 * puts it back; and the project's autosave keeps it through a reload (a new session over the same
 * storage). The order of work, and so the analysis, is never touched.
 */
import 'fake-indexeddb/auto';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../../core/project/changes.ts';
import { labOrderUnlinked as referral } from '../../../core/workflow/bpmn/index.ts';
import { computeMetrics } from '../../../core/workflow/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { openStorage } from '../../../storage/storage.ts';
import {
  createProjectSession,
  type ProjectSession,
  type SessionState,
} from '../../projects/projectSession.ts';
import { BesideTheWork, PoolsAndDocuments } from './BesideTheWork.tsx';
import { useWorkflowEditor } from './useWorkflowEditor.ts';

const NOW = '2026-01-05T09:00:00.000Z';
const sessions: ProjectSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});

/** A project session over `factory` (a reload is a new one), resolving once its project is open. */
async function openSession(factory: IDBFactory): Promise<{
  session: ProjectSession;
  until: (predicate: (s: SessionState) => boolean) => Promise<SessionState>;
}> {
  const waiters: { predicate: (s: SessionState) => boolean; resolve: (s: SessionState) => void }[] = [];
  const session = createProjectSession({
    openStorage: () => openStorage('preflight-beside-test', { factory }),
    createDemo: async (now) => ({ ...createProject({ name: 'Demo clinic', now }), workflows: [referral] }),
    now: () => NOW,
    onState: (state) => {
      for (const w of [...waiters]) {
        if (w.predicate(state)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(state);
        }
      }
    },
  });
  sessions.push(session);
  const until = (predicate: (s: SessionState) => boolean) =>
    predicate(session.getState())
      ? Promise.resolve(session.getState())
      : new Promise<SessionState>((resolve) => waiters.push({ predicate, resolve }));
  await until((s) => s.phase === 'ready' && s.project !== null);
  return { session, until };
}

/**
 * The inspector's parts for what travels beside the work, as the editor holds them (its edit
 * history, drafts; its saves going to the project session), with Undo and Redo: a step's
 * messages and documents when a step is selected, else the workflow's pools and documents.
 */
function Harness({ session, selected }: { session: ProjectSession; selected?: string }) {
  const [project, setProject] = useState(session.getState().project as Project);
  const workflow = project.workflows.find((w) => w.id === referral.id) as Workflow;
  const editor = useWorkflowEditor(workflow, (change) => {
    session.dispatch(change);
    setProject(session.getState().project as Project);
  });
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(new Map());
  const step = editor.workflow.steps.find((s) => s.id === selected);
  return (
    <>
      <button type="button" onClick={editor.undo}>
        Undo
      </button>
      <button type="button" onClick={editor.redo}>
        Redo
      </button>
      {step ? (
        <BesideTheWork workflow={editor.workflow} step={step} apply={editor.apply} />
      ) : (
        <PoolsAndDocuments
          workflow={editor.workflow}
          apply={editor.apply}
          drafts={drafts}
          setDraft={(key, text) =>
            setDrafts((before) => {
              const next = new Map(before);
              if (text === null) next.delete(key);
              else next.set(key, text);
              return next;
            })
          }
        />
      )}
    </>
  );
}

const open = (session: ProjectSession) =>
  session.getState().project?.workflows.find((w) => w.id === referral.id) as Workflow;

/** Saves what is pending, then opens the project again in a new session (a reload). */
async function reload(factory: IDBFactory, session: ProjectSession): Promise<Workflow> {
  await session.flush();
  session.destroy();
  const again = await openSession(factory);
  return open(again.session);
}

describe('editing messages, documents and pools in the inspector', () => {
  it('adds a message to a step of another pool and removes it; undo and redo each; kept on reload', async () => {
    const factory = new IDBFactory();
    const { session } = await openSession(factory);
    const user = userEvent.setup({ delay: null });
    render(<Harness session={session} selected="order" />);
    const add = screen.getByRole('group', { name: 'Add a message' });
    // only the other pool's parties are offered: the lab, and its steps
    expect(
      within(add)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'Sent to',
      'Received from',
      'Reference lab (the whole pool)',
      'Reference lab: Analyse sample',
    ]);
    await user.selectOptions(within(add).getByRole('combobox', { name: 'Other party' }), 'analyse');
    await user.type(
      within(add).getByRole('textbox', { name: 'What the message is (optional)' }),
      'Lab order{Enter}',
    );
    const messages = () => screen.queryByRole('list', { name: 'Messages' })?.textContent ?? '';
    expect(messages()).toContain('“Lab order” sent to Analyse sample');
    expect(open(session).messageFlows).toEqual([{ from: 'order', to: 'analyse', label: 'Lab order' }]);

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).messageFlows).toBeUndefined();
    expect(messages()).toBe('');
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(messages()).toContain('“Lab order” sent to Analyse sample');

    // a second one, received from the lab as a whole
    await user.selectOptions(within(add).getByRole('combobox', { name: 'Sent or received' }), 'from');
    await user.selectOptions(within(add).getByRole('combobox', { name: 'Other party' }), 'lab');
    await user.click(within(add).getByRole('button', { name: 'Add message' }));
    expect(messages()).toContain('A message received from Reference lab');
    await user.click(
      screen.getByRole('button', { name: 'Remove the message: A message received from Reference lab' }),
    );
    expect(open(session).messageFlows).toEqual([{ from: 'order', to: 'analyse', label: 'Lab order' }]);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).messageFlows).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(open(session).messageFlows).toHaveLength(1);

    // the analysis never follows a message
    expect(computeMetrics(open(session))).toEqual(computeMetrics(referral));
    const reloaded = await reload(factory, session);
    expect(reloaded.messageFlows).toEqual([{ from: 'order', to: 'analyse', label: 'Lab order' }]);
  });

  it('adds a document a step writes, links it to another step, unlinks and removes it; undo and redo each', async () => {
    const factory = new IDBFactory();
    const { session } = await openSession(factory);
    const user = userEvent.setup({ delay: null });
    const { unmount } = render(<Harness session={session} selected="order" />);
    const link = () => screen.getByRole('group', { name: 'Link a document or store' });
    await user.click(within(link()).getByRole('combobox', { name: 'Document or store name' }));
    await user.paste('Requisition');
    await user.click(within(link()).getByRole('button', { name: 'Add' }));
    expect(open(session).dataObjects).toEqual([
      { id: 'requisition', label: 'Requisition', kind: 'object', writtenBy: ['order'] },
    ]);
    expect(screen.getByRole('list', { name: 'Documents and data' }).textContent).toContain(
      'Writes Requisition (document)',
    );
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).dataObjects).toBeUndefined();
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(open(session).dataObjects).toHaveLength(1);
    // the same name again links the one there: now read as well
    await user.selectOptions(within(link()).getByRole('combobox', { name: 'Reads or writes' }), 'readBy');
    await user.click(within(link()).getByRole('combobox', { name: 'Document or store name' }));
    await user.paste('requisition');
    await user.keyboard('{Enter}');
    expect(open(session).dataObjects?.[0]).toMatchObject({ readBy: ['order'], writtenBy: ['order'] });
    await user.click(screen.getByRole('button', { name: 'Unlink Requisition from this step' }));
    expect(open(session).dataObjects).toEqual([{ id: 'requisition', label: 'Requisition', kind: 'object' }]);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).dataObjects?.[0]).toMatchObject({ readBy: ['order'], writtenBy: ['order'] });
    unmount();

    // renamed and removed from the workflow's inspector (nothing selected)
    render(<Harness session={session} />);
    const name = screen.getByRole('textbox', { name: 'Name of document 1' });
    await user.clear(name);
    await user.click(name);
    await user.paste('Lab requisition');
    expect(open(session).dataObjects?.[0]?.label).toBe('Lab requisition');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).dataObjects?.[0]?.label).toBe('Requisition');
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    const reloaded = await reload(factory, session);
    expect(reloaded.dataObjects).toEqual([
      {
        id: 'requisition',
        label: 'Lab requisition',
        kind: 'object',
        readBy: ['order'],
        writtenBy: ['order'],
      },
    ]);
  });

  it('removes a document, and renames a pool; undo and redo each; kept on reload', async () => {
    const factory = new IDBFactory();
    const { session } = await openSession(factory);
    const user = userEvent.setup({ delay: null });
    act(() =>
      session.dispatch({
        type: 'workflow/put',
        workflow: {
          ...referral,
          dataObjects: [{ id: 'ehr', label: 'EHR', kind: 'store', readBy: ['file'] }],
        },
      }),
    );
    render(<Harness session={session} />);
    expect(screen.getByText('Used by File result.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove EHR' }));
    expect(open(session).dataObjects).toBeUndefined();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).dataObjects).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    expect(open(session).dataObjects).toBeUndefined();

    const pools = screen.getByRole('group', { name: 'Pools (the parties)' });
    const lab = within(pools).getByRole('textbox', { name: 'Name of pool 2' });
    await user.clear(lab);
    // an empty name stays a draft, never saved
    expect(open(session).pools?.[1]?.name).toBe('Reference lab');
    await user.click(lab);
    await user.paste('City lab');
    expect(open(session).pools?.[1]?.name).toBe('City lab');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(open(session).pools?.[1]?.name).toBe('Reference lab');
    await user.click(screen.getByRole('button', { name: 'Redo' }));
    const reloaded = await reload(factory, session);
    expect(reloaded.pools).toEqual([
      { id: 'clinic', name: 'Clinic' },
      { id: 'lab', name: 'City lab' },
    ]);
    expect(reloaded.dataObjects).toBeUndefined();
  });
});
