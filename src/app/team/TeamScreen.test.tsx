/**
 * The team projects screen against a stand-in server at the client's fetch: the list and a new
 * project, a lead's roster controls and a read-only roster for every other role, each refusal
 * (403, 404, 409 last lead) in the server's or clinic words, an ended session that keeps what was
 * typed, and the audit log shown a page at a time and downloaded as the server's file.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../common/testing/downloads.ts';
import { TeamScreen } from './TeamScreen.tsx';
import { SessionEnded } from './TeamSignIn.tsx';
import { SESSION_ENDED, type TeamMember, type TeamProject } from './teamClient.ts';
import { type FakeTeamServer, fakeTeamServer, sessionAnswer } from './testing/fakeTeamServer.ts';
import { useTeamServer } from './useTeamServer.ts';

/** no pause between key presses: nothing here waits on timing */
const userEvent = userEventBase.setup({ delay: null });

function Screen({ server, teamProject }: { server: FakeTeamServer; teamProject?: string }) {
  const team = useTeamServer(server.fetchImpl);
  return (
    <>
      {team.state.phase === 'signed-in' && team.state.ended && <SessionEnded hash="#/team" />}
      <TeamScreen state={team.state} teamProject={teamProject} />
    </>
  );
}

const member = (id: string, name: string, role: TeamMember['role'], expiresOn: string | null = null) => ({
  id,
  subject: id,
  name,
  email: `${id}@clinic.test`,
  role,
  expiresOn,
  expired: false,
});
const LEAD_CAN = [
  'read-project',
  'rename-project',
  'add-member',
  'change-member',
  'remove-member',
  'read-audit',
];

function project(role: TeamMember['role'], members = [member('dan', 'Dan Lead', 'lead')]): TeamProject {
  return {
    id: 'p1',
    name: 'Ward 4 go-live',
    role,
    expiresOn: null,
    can: role === 'lead' ? LEAD_CAN : ['read-project'],
    members,
  };
}

const signedIn = (routes: FakeTeamServer['routes']) =>
  fakeTeamServer({
    'GET /api/session': sessionAnswer({ subject: 'dan', name: 'Dan Lead' }),
    'GET /api/projects/p1/invitations': [200, { invitations: [] }],
    ...routes,
  });

beforeEach(() => {
  window.location.hash = '#/team';
});

describe('the list of team projects', () => {
  it('is read again once the person signs in again after the session ended', async () => {
    const list = (...names: string[]) => [
      200,
      { projects: names.map((name, i) => ({ id: `p${i}`, name, role: 'analyst', expiresOn: null })) },
    ];
    const server = signedIn({ 'GET /api/projects': list('Clinic A') as [number, unknown] });
    render(<Screen server={server} />);
    await screen.findByRole('link', { name: 'Clinic A' });

    // the session ends (30 minutes idle): the list read then is refused, what was shown is kept
    server.routes['GET /api/projects'] = [401, { error: 'sign in first' }];
    await userEvent.click(screen.getByRole('button', { name: 'Refresh list' }));
    await screen.findByRole('link', { name: 'Sign in again in a new tab' });
    expect(screen.getByRole('link', { name: 'Clinic A' })).toBeTruthy();
    const readsWhileEnded = server.calls.filter((c) => c.path === '/api/projects').length;

    // meanwhile the person was added to another project; signed in again in the other tab, the
    // list here is read afresh with nothing pressed, and the ended session's words go
    server.routes['GET /api/session'] = [
      200,
      { ...(sessionAnswer({ subject: 'dan', name: 'Dan Lead' })[1] as object), csrfToken: 'csrf-2' },
    ];
    server.routes['GET /api/projects'] = list('Clinic A', 'Ward 4 go-live') as [number, unknown];
    window.dispatchEvent(new Event('focus'));
    await screen.findByRole('link', { name: 'Ward 4 go-live' });
    expect(screen.getByRole('link', { name: 'Clinic A' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Sign in again in a new tab' })).toBeNull();
    expect(screen.queryByText(SESSION_ENDED)).toBeNull();
    expect(server.calls.filter((c) => c.path === '/api/projects')).toHaveLength(readsWhileEnded + 1);
  });

  it('lists the person’s projects with their role, and a new one opens at its own address', async () => {
    const server = signedIn({
      'GET /api/projects': [
        200,
        { projects: [{ id: 'p0', name: 'Clinic A', role: 'steering', expiresOn: '2027-01-31' }] },
      ],
      'POST /api/projects': (body) => [
        201,
        { project: { id: 'p9', name: (body as { name: string }).name, role: 'lead', expiresOn: null } },
      ],
    });
    render(<Screen server={server} />);
    const link = await screen.findByRole('link', { name: 'Clinic A' });
    expect(link.getAttribute('href')).toBe('#/team/p0');
    expect(screen.getByText(/your role: Steering committee until 2027-01-31/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Create project' }));
    expect(screen.getByRole('alert').textContent).toBe('Give the project a name.');
    await userEvent.type(screen.getByLabelText('Project name'), '  Ward 4 go-live ');
    await userEvent.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(window.location.hash).toBe('#/team/p9'));
    const create = server.calls.find((c) => c.method === 'POST');
    expect(create?.body).toEqual({ name: 'Ward 4 go-live' });
    expect(create?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it('asks a signed-out person to sign in, and says where team projects live under npm start', async () => {
    const { unmount } = render(
      <Screen server={fakeTeamServer({ 'GET /api/session': sessionAnswer(null) })} />,
    );
    await screen.findByText(/Sign in \(top of the page\)/);
    unmount();
    render(<Screen server={fakeTeamServer({})} />);
    await screen.findByText(/Team projects live on your clinic’s Preflight team server/);
  });
});

describe('a project’s team', () => {
  it('lets the lead add a member and says who was added; the form empties only then', async () => {
    const server = signedIn({ 'GET /api/projects/p1': [200, project('lead')] });
    server.routes['POST /api/projects/p1/members'] = (body) => {
      server.routes['GET /api/projects/p1'] = [
        200,
        project('lead', [
          member('dan', 'Dan Lead', 'lead'),
          member('ana', 'Ana Lyst', 'reviewer', '2027-03-01'),
        ]),
      ];
      return [201, { member: { ...member('ana', 'Ana Lyst', 'reviewer'), ...(body as object) } }];
    };
    render(<Screen server={server} teamProject="p1" />);
    await screen.findByRole('heading', { name: 'Ward 4 go-live' });
    const add = screen.getByRole('form', { name: 'Add someone by e-mail' });
    await userEvent.type(within(add).getByLabelText('E-mail'), 'ana@clinic.test');
    await userEvent.selectOptions(within(add).getByLabelText('Role'), 'reviewer');
    await userEvent.type(within(add).getByLabelText('Access ends (optional)'), '2027-03-01');
    await userEvent.click(within(add).getByRole('button', { name: 'Add to project' }));
    await screen.findByText('Ana Lyst was added as Clinician reviewer.');
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      email: 'ana@clinic.test',
      role: 'reviewer',
      expiresOn: '2027-03-01',
    });
    expect((within(add).getByLabelText('E-mail') as HTMLInputElement).value).toBe('');
    await screen.findByRole('button', { name: 'Remove Ana Lyst from the project' });
  });

  it('shows every other role the team read-only, without the lead’s controls or the audit log', async () => {
    const server = signedIn({
      'GET /api/projects/p1': [
        200,
        project('analyst', [
          member('dan', 'Dan Lead', 'lead'),
          member('ana', 'Ana Lyst', 'analyst', '2027-03-01'),
        ]),
      ],
    });
    render(<Screen server={server} teamProject="p1" />);
    await screen.findByText('Analyst · access ends 2027-03-01');
    expect(screen.getByText('Lead · no end date')).toBeTruthy();
    expect(screen.getByText('Only the project’s lead can change who is on the team.')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Add someone by e-mail' })).toBeNull();
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    expect(screen.queryAllByRole('button', { name: /^What each role can do/ })).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Download audit log' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rename project' })).toBeNull();
    expect(screen.getByText('Only the project’s lead can read and export its audit log.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Signing keys' })).toBeTruthy();
    expect(screen.getByText(/^Your role \(Analyst\) does not sign in this project/)).toBeTruthy();
  });

  it('says a refusal in the server’s words, keeps what was typed, and shows the role the server now gives', async () => {
    const server = signedIn({ 'GET /api/projects/p1': [200, project('lead')] });
    server.routes['POST /api/projects/p1/members'] = () => {
      server.routes['GET /api/projects/p1'] = [200, project('viewer')];
      return [
        403,
        {
          error:
            'your role on this project (viewer) cannot add people to this project: ask the project’s lead',
        },
      ];
    };
    render(<Screen server={server} teamProject="p1" />);
    const add = await screen.findByRole('form', { name: 'Add someone by e-mail' });
    await userEvent.type(within(add).getByLabelText('E-mail'), 'ana@clinic.test');
    await userEvent.click(within(add).getByRole('button', { name: 'Add to project' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your role on this project (viewer) cannot add people to this project: ask the project’s lead.',
    );
    await screen.findByText('Viewer', { selector: 'strong' });
    expect(screen.queryByRole('form', { name: 'Add someone by e-mail' })).toBeNull();
  });

  it('explains the last lead kept (409) and leaves the roster as it was', async () => {
    const server = signedIn({
      'GET /api/projects/p1': [200, project('lead')],
      'PATCH /api/projects/p1/members/dan': [
        409,
        {
          error:
            'a project keeps at least one lead with no end date, who can manage its roster: make someone else lead first',
        },
      ],
    });
    render(<Screen server={server} teamProject="p1" />);
    const row = (await screen.findByText('Dan Lead')).closest('li') as HTMLElement;
    const guide = { name: 'What each role can do (choosing the role of Dan Lead)' };
    expect(within(row).queryByRole('button', guide)).toBeNull();
    await userEvent.selectOptions(within(row).getByLabelText('Role of Dan Lead'), 'viewer');
    // once another role is chosen, what it can do is a press away, its column the one highlighted
    await userEvent.click(within(row).getByRole('button', guide));
    expect(within(row).getByRole('columnheader', { name: 'Viewer (chosen)' })).toBeTruthy();
    await userEvent.click(within(row).getByRole('button', { name: 'Save changes to Dan Lead' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^A project keeps at least one lead with no end date.*make someone else lead first\.$/,
    );
    expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'viewer' });
  });

  it('removes a member only after a second, confirming press', async () => {
    const server = signedIn({
      'GET /api/projects/p1': [
        200,
        project('lead', [member('dan', 'Dan Lead', 'lead'), member('ana', 'Ana Lyst', 'analyst')]),
      ],
      'DELETE /api/projects/p1/members/ana': [204],
    });
    render(<Screen server={server} teamProject="p1" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Remove Ana Lyst from the project' }));
    expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
    // focus follows the question, and back again on Keep
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm removal of Ana Lyst' }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep Ana Lyst' }));
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Remove Ana Lyst from the project' }),
    );
    await userEvent.keyboard('{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm removal of Ana Lyst' }));
    await screen.findByText('Ana Lyst was removed from the project.');
    expect(server.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('shows nothing of a project the person is no longer on (404), and says why', async () => {
    const server = signedIn({ 'GET /api/projects/p1': [200, project('analyst')] });
    render(<Screen server={server} teamProject="p1" />);
    await screen.findByRole('heading', { name: 'Ward 4 go-live' });
    server.routes['GET /api/projects/p1'] = [
      404,
      { error: 'no such project, or you are not a member of it', code: 'project-not-open' },
    ];
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This project is not open to you: you are not, or no longer, a member of it. Ask its lead to add you.',
    );
    expect(screen.queryByRole('heading', { name: 'Ward 4 go-live' })).toBeNull();
    expect(screen.queryByText('Dan Lead')).toBeNull();
  });

  it('says a session that ended in clinic words, keeps what was typed, and recovers after signing in again', async () => {
    const server = signedIn({
      'GET /api/projects/p1': [200, project('lead')],
      'POST /api/projects/p1/members': [401, { error: 'sign in first' }],
    });
    render(<Screen server={server} teamProject="p1" />);
    const add = await screen.findByRole('form', { name: 'Add someone by e-mail' });
    await userEvent.type(within(add).getByLabelText('E-mail'), 'ana@clinic.test');
    await userEvent.click(within(add).getByRole('button', { name: 'Add to project' }));
    await screen.findByText(SESSION_ENDED);
    const banner = screen.getByRole('link', { name: 'Sign in again in a new tab' });
    expect(banner.getAttribute('target')).toBe('_blank');
    expect((within(add).getByLabelText('E-mail') as HTMLInputElement).value).toBe('ana@clinic.test');

    // signed in again in the other tab: back here, the new session's token is used
    server.routes['GET /api/session'] = [
      200,
      { ...(sessionAnswer({ subject: 'dan', name: 'Dan Lead' })[1] as object), csrfToken: 'csrf-2' },
    ];
    server.routes['POST /api/projects/p1/members'] = [201, { member: member('ana', 'Ana Lyst', 'analyst') }];
    window.dispatchEvent(new Event('focus'));
    await waitFor(() =>
      expect(screen.queryByRole('link', { name: 'Sign in again in a new tab' })).toBeNull(),
    );
    await userEvent.click(within(add).getByRole('button', { name: 'Add to project' }));
    await screen.findByText('Ana Lyst was added as Analyst.');
    expect(server.calls.filter((c) => c.method === 'POST').at(-1)?.headers['x-csrf-token']).toBe('csrf-2');
  });
});

describe('the audit log', () => {
  const entry = (seq: number, kind: string, detail: Record<string, string> = {}) => ({
    seq,
    at: `2026-11-25T10:${String(seq).padStart(2, '0')}:00.000Z`,
    kind,
    actor: { issuer: 'https://idp.test', subject: 'dan', name: 'Dan Lead' },
    detail: { project: 'p1', ...detail },
    prevHash: 'x',
    projectSeq: seq,
    projectPrevHash: 'x',
    hash: `h${seq}`,
  });

  let saved: Map<string, Blob>;
  beforeEach(() => {
    saved = captureDownloads();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows the entries newest first in a table, a page at a time, and downloads the server’s file as it came', async () => {
    const many = Array.from({ length: 23 }, (_, i) => entry(i + 3, 'audit-exported', {}));
    const file = {
      format: 'preflight.project-audit/v1',
      project: 'p1',
      entries: [
        entry(1, 'project-created', { name: 'Ward 4 go-live' }),
        entry(2, 'member-added', { subject: 'ana', role: 'reviewer', expiresOn: '2027-03-01' }),
        ...many,
      ],
    };
    const server = signedIn({
      'GET /api/projects/p1': [
        200,
        project('lead', [member('dan', 'Dan Lead', 'lead'), member('ana', 'Ana Lyst', 'reviewer')]),
      ],
      'GET /api/projects/p1/audit': [200, file],
    });
    render(<Screen server={server} teamProject="p1" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Show audit log' }));
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) =>
          within(row)
            .getAllByRole('cell')
            .map((c) => c.textContent),
        );
    expect(within(table).getByText('The newest 20 of 25 entries, newest first.')).toBeTruthy();
    expect(rows()).toHaveLength(20);
    expect(rows()[0]).toEqual([
      '25',
      '2026-11-25 10:25 UTC',
      'Dan Lead',
      'Read or downloaded this audit log',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Show 5 older entries' }));
    expect(rows().slice(-2)).toEqual([
      [
        '2',
        '2026-11-25 10:02 UTC',
        'Dan Lead',
        'Added Ana Lyst as Clinician reviewer, access ending 2027-03-01',
      ],
      ['1', '2026-11-25 10:01 UTC', 'Dan Lead', 'Created the project “Ward 4 go-live”'],
    ]);
    expect(screen.queryByRole('button', { name: /older entries/ })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Download audit log' }));
    await waitFor(() => expect([...saved.keys()]).toEqual(['Ward-4-go-live-audit-log.json']));
    const blob = saved.get('Ward-4-go-live-audit-log.json') as Blob;
    expect(JSON.parse(await blob.text())).toEqual(file);
  });
});
