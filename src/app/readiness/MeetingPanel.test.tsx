/**
 * The go/no-go meeting panel: attendees, the quorum and the conditions for go, saved as typed. On a
 * project shared with a team server it is the team's record: the Readiness screen saves it into the
 * project's replica and the team sync sends it to the server; a colleague's record pulled in is
 * what the panel shows; a role the server would refuse sees it read-only, told who records it.
 */
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChange, createProject, type ProjectChange } from '../../core/project/changes.ts';
import { emptySyncState, recordSha256 } from '../../core/teamRecords/index.ts';
import type { Role } from '../../core/teamRoles/index.ts';
import type { Project } from '../../formats/project.ts';
import type { SteeringMeeting } from '../../formats/steeringMeeting.ts';
import { SharedRecordsBar } from '../team/SharedRecordsBar.tsx';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { type FakeTeamServer, fakeTeamServer, teamMember } from '../team/testing/fakeTeamServer.ts';
import { teamSyncStore } from '../team/useSharedRecords.ts';
import type { TeamServerState } from '../team/useTeamServer.ts';
import { MeetingPanel } from './MeetingPanel.tsx';
import { ReadinessWorkspace } from './ReadinessWorkspace.tsx';

const STEERING = [
  { name: 'Dr Ada Osei', title: 'CMIO' },
  { name: 'Lee Park', title: 'Clinic manager' },
];

/** The panel as the Readiness screen holds it: the record in state, every save kept. */
function Harness({ kept }: { kept: SteeringMeeting[] }) {
  const [meeting, setMeeting] = useState<SteeringMeeting | null>(null);
  return (
    <MeetingPanel
      meeting={meeting}
      suggested={STEERING}
      onChange={(next) => {
        kept.push(next);
        setMeeting(next);
      }}
    />
  );
}

describe('MeetingPanel', () => {
  it('records who attended, says when the quorum is not met, and saves conditions only once they have a text', async () => {
    const user = userEvent.setup();
    const kept: SteeringMeeting[] = [];
    render(<Harness kept={kept} />);
    expect(screen.getByRole('status').textContent).toMatch(/no rule set/);
    await user.click(
      screen.getByRole('button', { name: 'Add the steering members (Dr Ada Osei, Lee Park)' }),
    );
    await user.type(
      screen.getByRole('spinbutton', { name: 'At least this many steering members attend' }),
      '2',
    );
    const attended = screen.getAllByRole('checkbox', { name: 'Attended' });
    await user.click(attended[0] as HTMLElement);
    expect(screen.getByRole('status').textContent).toMatch(
      /^QUORUM NOT MET: 1 of the 2 steering members needed attended/,
    );
    await user.click(attended[1] as HTMLElement);
    expect(screen.getByRole('status').textContent).toMatch(/^Quorum met: 2 steering members attended/);

    await user.click(screen.getByRole('button', { name: 'Add a condition' }));
    expect(kept.at(-1)?.conditions).toEqual([]);
    await user.type(screen.getByRole('textbox', { name: 'Condition' }), 'Pharmacy list rechecked');
    await user.type(screen.getByRole('textbox', { name: 'Owner' }), 'Lee Park');
    await user.type(screen.getByLabelText('Due'), '2027-01-10');
    expect(kept.at(-1)).toEqual({
      attendees: [
        { name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true },
        { name: 'Lee Park', role: 'Clinic manager', steering: true, attended: true },
      ],
      quorum: { minSteering: 2 },
      conditions: [{ text: 'Pharmacy list rechecked', owner: 'Lee Park', due: '2027-01-10' }],
    });
  });
});

describe('MeetingPanel on a project shared with a team server', () => {
  const TEAM = 'team-1';
  const NOW = '2026-11-27T09:00:00.000Z';
  const RECORD = `/api/projects/${TEAM}/records/readiness-record/steeringMeeting`;
  /** the links this file put in the browser's one store, taken out after each test */
  const linked: string[] = [];
  afterEach(async () => {
    cleanup();
    for (const id of linked.splice(0)) await teamSyncStore().remove(id);
  });

  /** A meeting record as the team server holds it, written by `by`. */
  const held = (body: SteeringMeeting, version: number, by: string) => ({
    kind: 'readiness-record',
    id: 'steeringMeeting',
    version,
    body,
    sha256: recordSha256(body),
    by,
    at: NOW,
  });

  /** The app's parts that meet here: the project's replica, its team sync and the Readiness screen. */
  function Screen({ team, start }: { team: TeamServerState; start: Project }) {
    const [project, dispatch] = useReducer(
      (p: Project, change: ProjectChange) => applyChange(p, change, NOW),
      start,
    );
    return (
      <TeamServerContext.Provider value={team}>
        <SharedRecordsBar team={team} project={project} dispatch={dispatch} />
        <ReadinessWorkspace project={project} tab="steering" onTab={() => {}} dispatch={dispatch} />
      </TeamServerContext.Provider>
    );
  }

  /** The steering tab of a project shared with `team-1`, Sam signed in as `role`; `onServer`: the record there. */
  async function openShared(role: Role, onServer?: SteeringMeeting): Promise<FakeTeamServer> {
    const project = createProject({ name: 'Ward 4', now: NOW });
    linked.push(project.meta.id);
    await teamSyncStore().put({
      project: project.meta.id,
      teamProjectId: TEAM,
      teamProjectName: 'Ward 4 go-live',
      state: emptySyncState(),
    });
    let version = onServer ? 1 : 0;
    const server = fakeTeamServer({
      [`GET /api/projects/${TEAM}`]: [
        200,
        {
          id: TEAM,
          name: 'Ward 4 go-live',
          role,
          expiresOn: null,
          can: [],
          members: [teamMember('sub-sam', 'Sam Steering', role)],
        },
      ],
      [`GET /api/projects/${TEAM}/workflows`]: [200, { workflows: [] }],
      [`GET /api/projects/${TEAM}/records?after=0`]: [
        200,
        { head: version, records: onServer ? [held(onServer, 1, 'Lena Lead')] : [] },
      ],
      [`GET /api/projects/${TEAM}/records?after=1`]: [200, { head: 1, records: [] }],
      [`GET /api/projects/${TEAM}/steering-signatures`]: [200, { decisions: [] }],
      [`PUT ${RECORD}`]: (body) => {
        version += 1;
        return [200, { record: held((body as { body: SteeringMeeting }).body, version, 'Sam Steering') }];
      },
    });
    const team: TeamServerState = {
      phase: 'signed-in',
      user: { issuer: 'https://idp.test', subject: 'sub-sam', name: 'Sam Steering', email: null },
      // through the server's fetch as it is at each call, so a test may answer in its place
      client: new TeamClient(
        'csrf',
        () => undefined,
        (path, init) => server.fetchImpl(path, init),
      ),
      ended: false,
    };
    render(<Screen team={team} start={project} />);
    return server;
  }

  it('records the meeting as the steering member signed in, and the team sync sends it to the server', async () => {
    const user = userEvent.setup();
    const server = await openShared('steering');
    expect((await screen.findByTestId('meeting-recorder')).textContent).toBe(
      'Recording as Sam Steering (Steering committee), signed in to the team server.',
    );
    await user.click(screen.getByRole('button', { name: 'Add an attendee' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Dr Ada Osei');
    await user.click(screen.getByRole('checkbox', { name: 'Attended' }));
    const sent = () => server.calls.filter((c) => c.method === 'PUT' && c.path === RECORD);
    await waitFor(() =>
      expect(sent().at(-1)?.body).toMatchObject({
        body: { attendees: [{ name: 'Dr Ada Osei', steering: false, attended: true }], conditions: [] },
      }),
    );
    // the panel kept what was typed while its own writes came back
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('value', 'Dr Ada Osei');
    expect(screen.getByRole('checkbox', { name: 'Attended' })).toHaveProperty('checked', true);
  });

  it('keeps three quick edits when the server answers the first after the others: none taken back', async () => {
    const server = await openShared('lead');
    // the server as it keeps records: each write the project's next version, a pull what came after;
    // its answer to the write of the name waits for the test, so the next edits land before it
    let head = 0;
    let kept: ReturnType<typeof held> | undefined;
    let shut: Promise<void> | undefined;
    let open = () => {};
    const answer = server.fetchImpl;
    server.fetchImpl = async (path, init) => {
      const after = /\/records\?after=(\d+)$/.exec(path)?.[1];
      if (after !== undefined) {
        server.calls.push({ method: 'GET', path, headers: {}, body: undefined });
        const records = kept !== undefined && kept.version > Number(after) ? [kept] : [];
        return Response.json({ head, records });
      }
      if (init?.method !== 'PUT' || path !== RECORD) return answer(path, init);
      const write = JSON.parse(String(init.body)) as { baseVersion: number; body: SteeringMeeting };
      server.calls.push({ method: 'PUT', path, headers: {}, body: write });
      if (write.baseVersion !== (kept?.version ?? 0))
        return Response.json({ current: kept }, { status: 409 });
      head += 1;
      kept = held(write.body, head, 'Lena Lead');
      const record = kept;
      // the name written: the server's answer waits for the test
      if (write.body.attendees.length > 0 && shut === undefined) {
        shut = new Promise((resolve) => {
          open = resolve;
        });
        await shut;
      }
      return Response.json({ record });
    };
    expect((await screen.findByTestId('meeting-recorder')).textContent).toMatch(/^Recording as Sam Steering/);
    fireEvent.click(screen.getByRole('button', { name: 'Add an attendee' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'Sana Yusuf' } });
    // the name is on the server; its answer is on its way back when the next two edits are made
    await waitFor(() =>
      expect(kept?.body.attendees).toEqual([{ name: 'Sana Yusuf', steering: false, attended: false }]),
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Steering member' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'At least this many steering members attend' }), {
      target: { value: '2' },
    });
    open();
    const all = {
      attendees: [{ name: 'Sana Yusuf', steering: true, attended: false }],
      quorum: { minSteering: 2 },
      conditions: [],
    };
    await waitFor(() => expect(kept?.body).toEqual(all));
    // the panel shows all three, and the sync has nothing left to send
    await waitFor(() =>
      expect(screen.getAllByRole('status')[0]?.textContent).toMatch(/All changes saved to the team server$/),
    );
    expect(screen.getAllByRole('status')[1]?.textContent).toMatch(/^QUORUM NOT MET: 0 of the 2/);
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('value', 'Sana Yusuf');
    expect(screen.getByRole('checkbox', { name: 'Steering member' })).toHaveProperty('checked', true);
    expect(
      screen.getByRole('spinbutton', { name: 'At least this many steering members attend' }),
    ).toHaveProperty('value', '2');
    expect(screen.queryByText(/conflict/i)).toBeNull();
  });

  it('shows the meeting a colleague recorded, read-only to a role the server would refuse, with who records it', async () => {
    await openShared('analyst', {
      attendees: [{ name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true }],
      quorum: { minSteering: 1 },
      conditions: [{ text: 'Pharmacy list rechecked' }],
    });
    expect((await screen.findByTestId('meeting-read-only')).textContent).toBe(
      'You see the meeting read-only: your role on the team project (Analyst) cannot record this project’s go/no-go meeting (its attendees, quorum and conditions for go). Who records it: Lead, Steering committee.',
    );
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('value', 'Dr Ada Osei'),
    );
    expect(screen.getByRole('textbox', { name: 'Condition' })).toHaveProperty(
      'value',
      'Pharmacy list rechecked',
    );
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Add an attendee' })).toHaveProperty('disabled', true);
  });
});
