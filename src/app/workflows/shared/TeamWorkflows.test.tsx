/**
 * The team's shared workflows in the app, against a stand-in for the team server's API (the real
 * server's side is proved in src/server/sharedWorkflows.test.ts): the list shows only when signed
 * in, a local workflow is shared with the CSRF token, and an open shared workflow sends the
 * person's edits, shows others' as they arrive, and keeps edits made offline across a reload
 * until the network is back. Who is signed in is the app's one session (useTeamServer over the
 * stand-in): a 401 during a sync ends it for the header too, and the edit waits until signing in
 * again.
 */
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject } from '../../../core/project/changes.ts';
import { applyEdit } from '../../../core/workflow/edit/index.ts';
import {
  diffWorkflows,
  MemoryServer,
  type SharedCopyState,
  SharedWorkflowCopy,
} from '../../../core/workflow/shared/index.ts';
import { FIXTURE_NOW, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { SessionEnded, TeamSignIn } from '../../team/TeamSignIn.tsx';
import { TEAM_SERVER_META, TeamClient } from '../../team/teamClient.ts';
import { TeamServerContext } from '../../team/teamContext.ts';
import { useTeamServer } from '../../team/useTeamServer.ts';
import { changeWords } from './changeWords.ts';
import { syncLine, TeamWorkflowPage, VIEW_ONLY } from './SharedWorkflowEditor.tsx';
import { TeamWorkflows } from './TeamWorkflows.tsx';
import { useSharedWorkflow } from './useSharedWorkflow.ts';
import { VersionsPanel } from './VersionsPanel.tsx';

const CSRF = 'csrf-token';

/** The team server's API as far as these screens use it, over one shared workflow per id. */
function fakeTeamServer(options: { signedIn: boolean; can?: string[] }) {
  const shared = new Map<string, MemoryServer>([['intake', new MemoryServer(fixtureWorkflow('intake'))]]);
  const versions: {
    version: { id: string; name: string; head: number; namedAt: string; namedBy: string };
    workflow: Workflow;
  }[] = [];
  const state = {
    online: true,
    /** the session ended at the server (idle limit, or signed out elsewhere) */
    ended: false,
    sharedBodies: [] as { csrf: string | null; workflow: Workflow }[],
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (!state.online) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), 'http://team.test');
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const body = init.body === undefined ? undefined : JSON.parse(String(init.body));
    const path = url.pathname;
    const signedIn = options.signedIn && !state.ended;
    if (path === '/api/session')
      return json(200, {
        format: 'preflight.session/v1',
        signInAvailable: true,
        user: signedIn ? { issuer: 'idp', subject: 'ana', name: 'Ana Lyst', email: null } : null,
        csrfToken: signedIn ? CSRF : null,
      });
    if (!signedIn) return json(401, { error: 'sign in first' });
    if (path === '/api/projects')
      return json(200, { projects: [{ id: 'p1', name: 'Go-live', role: 'analyst' }] });
    if (path === '/api/projects/p1')
      return json(200, { can: options.can ?? ['read-project', 'read-workflows', 'edit-workflows'] });
    if (path === '/api/projects/p1/workflows' && method === 'GET')
      return json(200, {
        workflows: [...shared].map(([id, s]) => ({
          id,
          name: s.document.name,
          state: s.document.state,
          process: null,
          head: s.head,
        })),
      });
    if (path === '/api/projects/p1/workflows' && method === 'POST') {
      state.sharedBodies.push({ csrf: headers.get('x-csrf-token'), workflow: body.workflow });
      shared.set(body.workflow.id, new MemoryServer(body.workflow));
      return json(201, {});
    }
    const versioned = /^\/api\/projects\/p1\/workflows\/intake\/versions(?:\/([^/]+))?(\/restore)?$/.exec(
      path,
    );
    if (versioned) {
      const team = shared.get('intake') as MemoryServer;
      const [, versionId, restore] = versioned;
      if (versionId === undefined && method === 'POST') {
        const version = {
          id: `v${versions.length + 1}`,
          name: body.name,
          head: team.head,
          namedAt: FIXTURE_NOW,
          namedBy: 'Ana Lyst',
        };
        versions.push({ version, workflow: structuredClone(team.document) });
        return json(201, { version });
      }
      if (versionId === undefined) return json(200, { versions: versions.map((v) => v.version) });
      const found = versions.find((v) => v.version.id === versionId);
      if (!found) return json(404, { error: 'no such named version of this workflow' });
      if (!restore) return json(200, found);
      const ops = diffWorkflows(team.document, found.workflow);
      return json(200, team.store('Ana Lyst', team.head, [{ id: `restore:${team.head}`, ops }]));
    }
    const match = /^\/api\/projects\/p1\/workflows\/([^/]+)(\/changes)?$/.exec(path);
    const server = match && shared.get(decodeURIComponent(match[1] as string));
    if (!match || !server) return json(404, { error: 'no such shared workflow' });
    if (!match[2]) return json(200, { workflow: server.document, head: server.head });
    if (method === 'GET') return json(200, server.after(Number(url.searchParams.get('after'))));
    if (headers.get('x-csrf-token') !== CSRF) return json(403, { error: 'missing CSRF token' });
    return json(200, server.store('Ana Lyst', body.after, body.changes));
  };
  return { fetch, shared, state };
}

const realFetch = globalThis.fetch;
let server: ReturnType<typeof fakeTeamServer>;
const use = (s: ReturnType<typeof fakeTeamServer>) => {
  server = s;
  globalThis.fetch = s.fetch as typeof globalThis.fetch;
};
// the page as preflight serve marks it
const mark = document.createElement('meta');
mark.name = TEAM_SERVER_META;
beforeEach(() => {
  document.head.append(mark);
  // the editor keeps each shared workflow's copy in the page's storage: every test opens afresh
  localStorage.clear();
});
/** The app's team server state over the fake server, the header's sign-in and its notice of an ended session. */
function App({ children }: { children: ReactNode }) {
  const team = useTeamServer(server.fetch as typeof globalThis.fetch);
  return (
    <TeamServerContext.Provider value={team.state}>
      <TeamSignIn team={team} hash="#/workflows" project={undefined} />
      {team.state.phase === 'signed-in' && team.state.ended && <SessionEnded hash="#/workflows" />}
      {children}
    </TeamServerContext.Provider>
  );
}
afterEach(() => {
  globalThis.fetch = realFetch;
  window.location.hash = '';
  mark.remove();
});

describe('the team’s shared workflows on the Workflows list', () => {
  it('shows nothing when nobody is signed in to a team server', async () => {
    use(fakeTeamServer({ signedIn: false }));
    render(
      <App>
        <TeamWorkflows own={[fixtureWorkflow('mine')]} />
      </App>,
    );
    await screen.findByRole('link', { name: 'Sign in' });
    await act(async () => {});
    expect(screen.queryByText('Shared with your team')).toBeNull();
  });

  it('lists the project’s shared workflows and shares one of the person’s own', async () => {
    use(fakeTeamServer({ signedIn: true }));
    render(
      <App>
        <TeamWorkflows own={[fixtureWorkflow('mine', 'Referral (current)')]} />
      </App>,
    );
    const link = await screen.findByRole('link', { name: 'Patient intake (current)' });
    expect(link.getAttribute('href')).toBe('#/workflows/team/p1/intake');
    const user = userEvent.setup();
    await user.selectOptions(
      screen.getByRole('combobox', { name: /Share one of your workflows with Go-live/ }),
      'mine',
    );
    await user.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByRole('link', { name: 'Referral (current)' })).toBeTruthy();
    expect(server.state.sharedBodies).toEqual([
      { csrf: CSRF, workflow: fixtureWorkflow('mine', 'Referral (current)') },
    ]);
  });
});

describe('a shared workflow open in the editor', () => {
  it('asks to sign in when nobody is signed in to the team server', async () => {
    use(fakeTeamServer({ signedIn: false }));
    const project = createProject({ name: 'Mine', now: FIXTURE_NOW });
    render(
      <App>
        <TeamWorkflowPage project={project} projectId="p1" workflowId="intake" onClose={() => {}} />
      </App>,
    );
    expect(await screen.findByText(/Sign in to the team server/)).toBeTruthy();
  });

  it('says whether the copy is in step, offline with changes kept, or cut off', () => {
    const base = { waiting: 0, refusal: '' };
    expect(syncLine({ ...base, status: 'in-step' })).toMatch(/^Shared with the team/);
    expect(syncLine({ ...base, status: 'offline', waiting: 2 })).toBe(
      'Offline: 2 changes wait to be sent; they are kept in this browser and sent when the team server can be reached.',
    );
    expect(
      syncLine({ ...base, status: 'gone', refusal: 'no such project, or you are not a member of it' }),
    ).toBe('This workflow is no longer open to you: no such project, or you are not a member of it');
  });

  let storage: Map<string, string>;
  const store = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  };
  beforeEach(() => {
    storage = new Map();
  });
  const open = (pollMs = 60_000) => {
    const session = new TeamClient(CSRF, () => {}).session;
    return renderHook(() => useSharedWorkflow('p1', 'intake', session, { store, pollMs }));
  };
  const online = () =>
    act(async () => {
      window.dispatchEvent(new Event('online'));
    });

  it('sends the person’s edits and shows others’ when it next hears from the server', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const { result, unmount } = open(20);
    await waitFor(() => expect(result.current.status).toBe('in-step'));
    const mine = applyEdit(result.current.workflow as Workflow, {
      type: 'step/update',
      id: 'form',
      patch: { touchMin: 4 },
    }).workflow;
    await act(async () => result.current.change(mine));
    await waitFor(() => expect(result.current.waiting).toBe(0));
    const team = server.shared.get('intake') as MemoryServer;
    expect(team.document.steps.find((s) => s.id === 'form')?.touchMin).toBe(4);

    // Ben, on his own machine, renames a lane
    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(
      applyEdit(ben.workflow, { type: 'lane/update', id: 'nurse', patch: { name: 'Nursing' } }).workflow,
    );
    await ben.sync(team.transport('Ben Lyst'));
    // heard at the next poll, with nothing done here
    await waitFor(() =>
      expect(result.current.workflow?.lanes.find((l) => l.id === 'nurse')?.name).toBe('Nursing'),
    );
    expect(result.current.workflow?.steps.find((s) => s.id === 'form')?.touchMin).toBe(4);

    // both set one field at once: the server's order decides, and both are in the recent changes
    ben.change(applyEdit(ben.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 6 } }).workflow);
    const both = applyEdit(result.current.workflow as Workflow, {
      type: 'step/update',
      id: 'form',
      patch: { touchMin: 5 },
    }).workflow;
    await act(async () => result.current.change(both));
    await waitFor(() => expect(result.current.waiting).toBe(0));
    await ben.sync(team.transport('Ben Lyst'));
    await waitFor(() => expect(result.current.recent.map((c) => c.seq)).toEqual([1, 2, 3]));
    expect(result.current.workflow?.steps.find((s) => s.id === 'form')?.touchMin).toBe(6);
    const workflow = result.current.workflow as Workflow;
    expect(result.current.recent.map((c) => changeWords(c, workflow))).toEqual([
      'Ben Lyst set the name of lane “Nursing” to Nursing.',
      'Ana Lyst set the touch time (minutes) of “Paper intake form” to 5.',
      'Ben Lyst set the touch time (minutes) of “Paper intake form” to 6.',
    ]);
    unmount();
  });

  it('keeps edits made offline across a reload and sends them when the network is back', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const first = open();
    await waitFor(() => expect(first.result.current.status).toBe('in-step'));
    server.state.online = false;
    const offline = applyEdit(first.result.current.workflow as Workflow, {
      type: 'step/update',
      id: 'vitals',
      patch: { clicks: 9 },
    }).workflow;
    await act(async () => first.result.current.change(offline));
    await waitFor(() => expect(first.result.current.status).toBe('offline'));
    expect(first.result.current.waiting).toBe(1);
    first.unmount();

    const reloaded = open();
    await waitFor(() => expect(reloaded.result.current.status).toBe('offline'));
    expect(reloaded.result.current.workflow?.steps.find((s) => s.id === 'vitals')?.clicks).toBe(9);
    server.state.online = true;
    await online();
    await waitFor(() => expect(reloaded.result.current.status).toBe('in-step'));
    expect(reloaded.result.current.waiting).toBe(0);
    const team = server.shared.get('intake') as MemoryServer;
    expect(team.document.steps.find((s) => s.id === 'vitals')?.clicks).toBe(9);
    expect(team.changes).toHaveLength(1);
    reloaded.unmount();
  });
  it('says offline as soon as the network goes, even while a request sent before hangs', async () => {
    use(fakeTeamServer({ signedIn: true }));
    // the connection dropped under a request: the browser neither answers nor fails it
    const hanging = { pull: () => new Promise<never>(() => {}), push: () => new Promise<never>(() => {}) };
    const session = new TeamClient(CSRF, () => {}).session;
    const { result, unmount } = renderHook(() =>
      useSharedWorkflow('p1', 'intake', session, { store, pollMs: 60_000, transport: hanging }),
    );
    await waitFor(() => expect(result.current.status).toBe('in-step'));
    const edit = (clicks: number) =>
      act(async () =>
        result.current.change(
          applyEdit(result.current.workflow as Workflow, {
            type: 'step/update',
            id: 'vitals',
            patch: { clicks },
          }).workflow,
        ),
      );
    await edit(7);
    expect(result.current.status).toBe('sending');
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
    });
    await edit(8);
    expect(result.current.status).toBe('offline');
    expect(result.current.waiting).toBe(2);
    unmount();
  });
  it('tells the person whose flows a team member’s removal left pointing at nothing, across a reload until dismissed', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const first = open();
    await waitFor(() => expect(first.result.current.status).toBe('in-step'));
    const team = server.shared.get('intake') as MemoryServer;
    // Ben removes “Take vitals” while Ana, offline, connects to it
    server.state.online = false;
    const mine = applyEdit(first.result.current.workflow as Workflow, {
      type: 'flow/add',
      flow: { from: 'arrive', to: 'vitals', transfer: 'none' },
    }).workflow;
    await act(async () => first.result.current.change(mine));
    await waitFor(() => expect(first.result.current.status).toBe('offline'));
    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(applyEdit(ben.workflow, { type: 'step/remove', id: 'vitals' }).workflow);
    await ben.sync(team.transport('Ben Lyst'));
    server.state.online = true;
    await online();
    await waitFor(() => expect(first.result.current.lost).toHaveLength(1));
    expect(first.result.current.lost[0]).toMatchObject({
      key: 'step:vitals',
      removal: { author: 'Ben Lyst' },
    });
    // Ben is not told: his copy hears Ana's flow, and nothing of his was lost
    await ben.sync(team.transport('Ben Lyst'));
    expect(ben.lost).toEqual([]);
    first.unmount();

    const reloaded = open();
    await waitFor(() => expect(reloaded.result.current.status).toBe('in-step'));
    expect(reloaded.result.current.lost).toHaveLength(1);
    const id = reloaded.result.current.lost[0]?.id as string;
    act(() => reloaded.result.current.dismissLost(id));
    expect(reloaded.result.current.lost).toEqual([]);
    reloaded.unmount();
    const again = open();
    await waitFor(() => expect(again.result.current.status).toBe('in-step'));
    expect(again.result.current.lost).toEqual([]);
    again.unmount();
  });

  it('puts a removed step back with the person’s lost rename, for the whole team', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const hook = open();
    await waitFor(() => expect(hook.result.current.status).toBe('in-step'));
    const team = server.shared.get('intake') as MemoryServer;
    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(applyEdit(ben.workflow, { type: 'step/remove', id: 'vitals' }).workflow);
    await ben.sync(team.transport('Ben Lyst'));
    // Ana renames the step before she has heard of the removal: the server orders hers after it
    const renamed = applyEdit(hook.result.current.workflow as Workflow, {
      type: 'step/update',
      id: 'vitals',
      patch: { label: 'Vitals and weight' },
    }).workflow;
    await act(async () => hook.result.current.change(renamed));
    await waitFor(() => expect(hook.result.current.lost).toHaveLength(1));
    expect(hook.result.current.workflow?.steps.some((s) => s.id === 'vitals')).toBe(false);
    act(() => hook.result.current.putBackLost(hook.result.current.lost[0]?.id as string));
    await waitFor(() => expect(hook.result.current.waiting).toBe(0));
    expect(hook.result.current.lost).toEqual([]);
    expect(team.document.steps.find((s) => s.id === 'vitals')?.label).toBe('Vitals and weight');
    hook.unmount();
  });

  it('pauses at a 401 mid-sync with the edit kept, ends the session, and sends it once signed in again', async () => {
    use(fakeTeamServer({ signedIn: true }));
    let endedHeard = 0;
    const client = new TeamClient(CSRF, () => {
      endedHeard += 1;
    });
    const hook = renderHook(
      ({ ended }) => useSharedWorkflow('p1', 'intake', client.session, { store, pollMs: 60_000, ended }),
      { initialProps: { ended: false } },
    );
    await waitFor(() => expect(hook.result.current.status).toBe('in-step'));
    server.state.ended = true;
    const edited = applyEdit(hook.result.current.workflow as Workflow, {
      type: 'step/update',
      id: 'vitals',
      patch: { clicks: 7 },
    }).workflow;
    await act(async () => hook.result.current.change(edited));
    await waitFor(() => expect(hook.result.current.status).toBe('signed-out'));
    expect(endedHeard, 'the app’s session heard the 401').toBeGreaterThan(0);
    expect(hook.result.current.waiting).toBe(1);
    expect(hook.result.current.workflow?.steps.find((s) => s.id === 'vitals')?.clicks).toBe(7);
    // kept in the page's storage: a reload still has it
    const kept = storage.get(`preflight.team.workflow.${JSON.stringify(['p1', 'intake'])}`) as string;
    const reloaded = new SharedWorkflowCopy(JSON.parse(kept) as SharedCopyState);
    expect(reloaded.pending).toHaveLength(1);
    expect(reloaded.workflow.steps.find((s) => s.id === 'vitals')?.clicks).toBe(7);
    expect(syncLine(hook.result.current)).toBe(
      'Your sign-in to the team server has ended: 1 change waits to be sent; they are kept in this browser and sent after you sign in again.',
    );
    // nothing is asked while signed out, not even when the network comes back
    const asked = endedHeard;
    await online();
    expect(endedHeard).toBe(asked);
    const team = server.shared.get('intake') as MemoryServer;
    expect(team.changes).toEqual([]);

    // the app hears the session end, then the person signs in again
    hook.rerender({ ended: true });
    server.state.ended = false;
    hook.rerender({ ended: false });
    await waitFor(() => expect(hook.result.current.status).toBe('in-step'));
    expect(hook.result.current.waiting).toBe(0);
    expect(team.document.steps.find((s) => s.id === 'vitals')?.clicks).toBe(7);
    hook.unmount();
  });
});

describe('a shared workflow when the sign-in ends during a sync', () => {
  it('ends the app’s session (the header says so) and keeps the edit until signed in again', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const team = server.shared.get('intake') as MemoryServer;
    const project = createProject({ name: 'Mine', now: FIXTURE_NOW });
    render(
      <App>
        <TeamWorkflowPage project={project} projectId="p1" workflowId="intake" onClose={() => {}} />
      </App>,
    );
    await screen.findByText(/^Shared with the team/);
    expect(screen.getByText('Ana Lyst')).toBeTruthy();
    server.state.ended = true;

    const user = userEvent.setup();
    const step = await screen.findByRole('group', { name: /^Task: Paper intake form/ });
    act(() => step.focus());
    await user.keyboard('{Enter}');
    const inspector = screen.getByRole('complementary', { name: 'Inspector' });
    await within(inspector).findByRole('heading', { level: 3, name: 'Task: Paper intake form' });
    const touch = within(inspector).getByRole('textbox', { name: 'Touch time (minutes)' });
    await user.clear(touch);
    await user.type(touch, '9');
    await user.tab();

    expect((await screen.findByRole('alert')).textContent).toMatch(/sign-in to the team server has ended/);
    expect(
      await screen.findByText(
        /^Your sign-in to the team server has ended: \d+ changes? waits? to be sent; they are kept in this browser/,
      ),
    ).toBeTruthy();
    expect(team.changes).toEqual([]);

    // signed in again in another tab, then back here: the edit is sent
    server.state.ended = false;
    await act(async () => {
      window.dispatchEvent(new Event('focus'));
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await screen.findByText(/^Shared with the team/);
    await waitFor(() => expect(team.document.steps.find((s) => s.id === 'form')?.touchMin).toBe(9));
  });
});

describe('a shared workflow in the editor while others edit it', () => {
  it('draws a team member’s edit as soon as it is heard, with nothing done on this page', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const project = createProject({ name: 'Mine', now: FIXTURE_NOW });
    render(
      <App>
        <TeamWorkflowPage project={project} projectId="p1" workflowId="intake" onClose={() => {}} />
      </App>,
    );
    await screen.findByText(/^Shared with the team/);
    expect(await screen.findByText('Paper intake form')).toBeTruthy();

    // Ben, on his own machine, renames a step
    const team = server.shared.get('intake') as MemoryServer;
    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(
      applyEdit(ben.workflow, { type: 'step/update', id: 'form', patch: { label: 'Online intake form' } })
        .workflow,
    );
    await ben.sync(team.transport('Ben Lyst'));
    // heard at the next pull (the network coming back asks at once, as a poll would)
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    expect(await screen.findByText('Online intake form')).toBeTruthy();
    expect(screen.queryByText('Paper intake form')).toBeNull();
  });
});

describe('a shared workflow whose step a team member removed while the person connected to it', () => {
  it('tells the person what was lost, by whom, and what to do, and leads the findings with the cause', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const team = server.shared.get('intake') as MemoryServer;
    // Ana connected two steps to “Take vitals” on the train; Ben removed it meanwhile
    const ana = SharedWorkflowCopy.opened('ana', team.document, team.head);
    ana.change(
      applyEdit(ana.workflow, {
        type: 'batch',
        edits: [
          { type: 'flow/add', flow: { from: 'arrive', to: 'vitals', transfer: 'none' } },
          { type: 'flow/add', flow: { from: 'form', to: 'vitals', transfer: 'none' } },
        ],
      }).workflow,
    );
    localStorage.setItem('preflight.team.workflow.["p1","intake"]', JSON.stringify(ana.snapshot()));
    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(applyEdit(ben.workflow, { type: 'step/remove', id: 'vitals' }).workflow);
    await ben.sync(team.transport('Ben Lyst'));

    const project = createProject({ name: 'Mine', now: FIXTURE_NOW });
    render(
      <App>
        <TeamWorkflowPage project={project} projectId="p1" workflowId="intake" onClose={() => {}} />
      </App>,
    );
    const lost = await screen.findByRole('region', {
      name: 'A change of yours was lost to someone else’s removal',
    });
    expect(lost.textContent).toMatch(
      /^A change of yours was lost to someone else’s removalBen Lyst removed the step “Take vitals” before .+, when it reached you\. 2 flows of yours to or from it now point at nothing\.If the clinic still needs “Take vitals”, put it back: what of yours points at it is mended\. If not, remove what of yours points at it\. Ben Lyst may have removed it on purpose: ask them\./,
    );
    within(lost).getByRole('button', { name: 'Put the step “Take vitals” back' });

    // the findings: the cause first, as one item, with what follows from it under it
    const findings = await screen.findByRole('region', { name: 'Findings on this workflow' });
    const cause = await within(findings).findByText(
      'Ben Lyst removed “Take vitals”; 2 flows of yours pointed to it.',
    );
    const group = cause.closest('.finding-group') as HTMLElement;
    expect(group.previousElementSibling?.closest('.finding-group')).toBeNull();
    const followers = within(group).getAllByText(/which is no longer in the workflow/);
    expect(followers).toHaveLength(2);
    expect(
      [...findings.querySelectorAll('.finding-group:not(.finding-causes)')].some((g) =>
        /which is no longer in the workflow/.test(g.textContent ?? ''),
      ),
    ).toBe(false);

    await userEvent.click(within(lost).getByRole('button', { name: /^Dismiss/ }));
    expect(screen.queryByRole('region', { name: /was lost to someone else’s removal$/ })).toBeNull();
  });
});

describe('a shared workflow open to a role that may not change it', () => {
  it('is only looked at: no palette nor drawing, details not editable, keyboard edits refused', async () => {
    use(fakeTeamServer({ signedIn: true, can: ['read-project', 'read-workflows'] }));
    const team = server.shared.get('intake') as MemoryServer;
    const project = createProject({ name: 'Mine', now: FIXTURE_NOW });
    render(
      <App>
        <TeamWorkflowPage project={project} projectId="p1" workflowId="intake" onClose={() => {}} />
      </App>,
    );
    expect((await screen.findAllByText(VIEW_ONLY)).length).toBeGreaterThan(0);
    expect(screen.queryByRole('form', { name: 'Add a step' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Add a lane' })).toBeNull();
    for (const name of ['Paste', 'Arrange automatically', 'Delete selected', 'Undo'])
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled, name).toBe(true);

    // a step chosen from the keyboard shows its details, none of them editable
    const user = userEvent.setup();
    const step = await screen.findByRole('group', { name: /^Task: Paper intake form/ });
    act(() => step.focus());
    await user.keyboard('{Enter}');
    const inspector = screen.getByRole('complementary', { name: 'Inspector' });
    await within(inspector).findByRole('heading', { level: 3, name: 'Task: Paper intake form' });
    const touch = within(inspector).getByRole('textbox', {
      name: 'Touch time (minutes)',
    }) as HTMLInputElement;
    expect(touch.value).toBe('4');
    expect(touch.matches(':disabled'), 'the whole inspector is a disabled fieldset').toBe(true);

    // delete, paste and undo from the keyboard: each refused, in words
    const status = () => document.querySelector('.wf-message')?.textContent ?? '';
    for (const keys of ['{Delete}', '{Control>}z{/Control}', '{Control>}v{/Control}', '{ArrowRight}', 'a']) {
      act(() => step.focus());
      // copying changes nothing, and puts other words on the status line first
      await user.keyboard('{Control>}c{/Control}');
      await waitFor(() => expect(status()).toBe('Copied one step.'));
      await user.keyboard(keys);
      await waitFor(() => expect(status(), keys).toBe(VIEW_ONLY));
    }
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('group', { name: /^Task: Paper intake form/ })).toBeTruthy();
    expect(team.changes).toEqual([]);
  });
});

describe('named versions of a shared workflow', () => {
  it('names the workflow, compares a version with now, and restores it as one more change', async () => {
    use(fakeTeamServer({ signedIn: true }));
    const team = server.shared.get('intake') as MemoryServer;
    let restored = 0;
    const panel = (current: Workflow) => (
      <VersionsPanel
        projectId="p1"
        workflowId="intake"
        session={new TeamClient(CSRF, () => {}).session}
        current={current}
        canEdit
        onRestored={async () => {
          restored += 1;
        }}
      />
    );
    const shown = render(panel(team.document));
    const user = userEvent.setup();
    await user.click(screen.getByText(/Named versions/));
    await user.type(screen.getByRole('textbox', { name: 'Name this version' }), 'Agreed');
    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(await screen.findByText('Named this version “Agreed”.')).toBeTruthy();

    const ben = SharedWorkflowCopy.opened('ben', team.document, team.head);
    ben.change(applyEdit(ben.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 1 } }).workflow);
    await ben.sync(team.transport('Ben Lyst'));
    shown.rerender(panel(team.document));
    await user.click(screen.getByRole('button', { name: 'Compare with now' }));
    expect(
      await screen.findByText('Since “Agreed”: 1 step changed, 0 steps added, 0 steps removed.'),
    ).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Restore' }));
    expect(await screen.findByText(/Restored “Agreed” as a new change/)).toBeTruthy();
    expect(restored).toBe(1);
    expect(team.document).toEqual(fixtureWorkflow('intake'));
    expect(team.changes, 'the restore is added after Ben’s change, which stays in the history').toHaveLength(
      2,
    );
  });
});
