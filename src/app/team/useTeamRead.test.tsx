/**
 * The browser's one cache of team reads: screens that show the same read share one copy and one
 * request; the project's change stream re-reads only the reads of the kinds it tells of (all of
 * them after a drop); a failed read says why and shows nothing of an earlier answer; nothing is
 * read while nobody is signed in.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeamSession } from '../../storage/teamServer.ts';
import type { TeamReadSpec } from './teamQuery.ts';
import {
  reviewRecordRead,
  sharedRecordsRead,
  sharedWorkflowListRead,
  teamProjectRead,
  teamProjectsRead,
  teamSamplesRead,
} from './teamReads.ts';
import { FakeEventSource } from './testing/fakeEventSource.ts';
import { type FakeTeamServer, fakeTeamServer, teamMember } from './testing/fakeTeamServer.ts';
import { type TeamReadServer, useTeamRead, useTeamServerRead } from './useTeamRead.ts';

const PROJECT = '/api/projects/p1';
const WORKFLOWS = `${PROJECT}/workflows`;
const RECORDS = `${PROJECT}/records?after=0`;
const PROJECTS = '/api/projects';
const SAMPLES = `${PROJECT}/sample-results`;
const DECISIONS = `${PROJECT}/reviews/r1/decisions`;
/** The id a screen's request gave its change, as the server tells it back. */
const OWN_CHANGE = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

function serverWith(): FakeTeamServer {
  return fakeTeamServer({
    [`GET ${PROJECT}`]: [
      200,
      {
        id: 'p1',
        name: 'Ward 4',
        role: 'lead',
        expiresOn: null,
        createdAt: '2026-11-20T09:00:00.000Z',
        can: [],
        members: [teamMember('lena', 'Lena Lead', 'lead')],
      },
    ],
    [`GET ${WORKFLOWS}`]: [200, { workflows: [] }],
    [`GET ${RECORDS}`]: [200, { head: 0, records: [] }],
    [`GET ${SAMPLES}`]: [200, { results: [] }],
    [`GET ${DECISIONS}`]: [200, { decisions: [] }],
    [`GET ${PROJECT}/reviews/r1/signatures`]: [200, { signatures: [] }],
    [`GET ${PROJECTS}`]: [200, { projects: [{ id: 'p1', name: 'Ward 4', role: 'lead', expiresOn: null }] }],
  });
}

const sessionOf = (server: FakeTeamServer): TeamSession => ({
  base: '',
  csrfToken: 'csrf-1',
  fetchImpl: server.fetchImpl,
});

/** A screen that shows one read as text. */
function Shows<T>({ label, server, spec }: { label: string; server: TeamReadServer; spec: TeamReadSpec<T> }) {
  const read = useTeamRead(server, spec);
  const shown = read.unread ?? (read.value === undefined ? 'reading' : JSON.stringify(read.value));
  return <output aria-label={label}>{shown}</output>;
}

/** A screen that shows one review's record on the server as text. */
function ShowsRecord({ label, server }: { label: string; server: TeamReadServer }) {
  const read = useTeamRead(server, reviewRecordRead, 'r1');
  const shown = read.unread ?? (read.value === undefined ? 'reading' : JSON.stringify(read.value));
  return <output aria-label={label}>{shown}</output>;
}

/** A screen that shows the person's list of team projects by name. */
function ListsProjects({ label, session }: { label: string; session: TeamSession | undefined }) {
  const read = useTeamServerRead(session, 'lena', teamProjectsRead);
  const shown = read.unread ?? (read.value === undefined ? 'reading' : read.value.map((p) => p.name).join());
  return <output aria-label={label}>{shown}</output>;
}

const readsOf = (server: FakeTeamServer, path: string) =>
  server.calls.filter((c) => c.method === 'GET' && c.path === path).length;

describe('the team reads’ one cache', () => {
  beforeEach(() => {
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('gives two screens reading the same key one request and one copy', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    render(
      <>
        <Shows label="list" server={server} spec={sharedWorkflowListRead} />
        <Shows label="also list" server={server} spec={sharedWorkflowListRead} />
      </>,
    );
    await waitFor(() => expect(screen.getByLabelText('list').textContent).toBe('[]'));
    expect(screen.getByLabelText('also list').textContent).toBe('[]');
    expect(readsOf(fake, WORKFLOWS)).toBe(1);
    // one stream for the project, however many screens read it
    expect(FakeEventSource.open().map((s) => s.url)).toEqual(['/api/projects/p1/events']);
  });

  it('shows a screen opened later the copy held, while the stream says nothing changed', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    const first = render(<Shows label="list" server={server} spec={sharedWorkflowListRead} />);
    await waitFor(() => expect(screen.getByLabelText('list').textContent).toBe('[]'));
    FakeEventSource.open()[0]?.opened();
    first.rerender(
      <>
        <Shows label="list" server={server} spec={sharedWorkflowListRead} />
        <Shows label="later" server={server} spec={sharedWorkflowListRead} />
      </>,
    );
    expect(screen.getByLabelText('later').textContent).toBe('[]');
    expect(readsOf(fake, WORKFLOWS)).toBe(1);
  });

  it('re-reads on a change of kind K only the reads of K, and every read after a drop', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    render(
      <>
        <Shows label="project" server={server} spec={teamProjectRead} />
        <Shows label="list" server={server} spec={sharedWorkflowListRead} />
        <Shows label="records" server={server} spec={sharedRecordsRead} />
      </>,
    );
    await waitFor(() => expect(screen.getByLabelText('records').textContent).toMatch(/^\[/));
    await waitFor(() => expect(screen.getByLabelText('list').textContent).toBe('[]'));
    const [stream] = FakeEventSource.open();
    stream?.opened();
    const counts = () => [readsOf(fake, PROJECT), readsOf(fake, WORKFLOWS), readsOf(fake, RECORDS)];
    expect(counts()).toEqual([1, 1, 1]);

    fake.routes[`GET ${WORKFLOWS}`] = [200, { workflows: [{ id: 'w1', name: 'Admission', head: 3 }] }];
    stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
    stream?.send(JSON.stringify({ kind: 'workflows', at: 2 }));
    await waitFor(() => expect(screen.getByLabelText('list').textContent).toMatch(/Admission/));
    expect(counts()).toEqual([1, 2, 1]);

    // the project read is stale on a rename as on a roster change
    stream?.send(JSON.stringify({ kind: 'project', at: 3 }));
    await waitFor(() => expect(counts()).toEqual([2, 2, 1]));

    stream?.dropped();
    stream?.opened();
    await waitFor(() => expect(counts()).toEqual([3, 3, 2]));
  });

  it('says why a read failed and shows nothing of the answer before it', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    render(<Shows label="list" server={server} spec={sharedWorkflowListRead} />);
    await waitFor(() => expect(screen.getByLabelText('list').textContent).toBe('[]'));
    const [stream] = FakeEventSource.open();
    stream?.opened();
    fake.routes[`GET ${WORKFLOWS}`] = [500, { error: 'the database is down' }];
    stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
    await waitFor(() => expect(screen.getByLabelText('list').textContent).not.toBe('[]'));
    expect(screen.getByLabelText('list').textContent).toMatch(/^The team server failed to do this/);
    expect(readsOf(fake, WORKFLOWS)).toBe(2);
  });

  it('gives two screens listing the person’s projects one request, and reads it again on a rename heard', async () => {
    const fake = serverWith();
    const session = sessionOf(fake);
    render(
      <>
        <ListsProjects label="team screen" session={session} />
        <ListsProjects label="send to reviewers" session={session} />
        <Shows label="project" server={{ session, projectId: 'p1' }} spec={teamProjectRead} />
      </>,
    );
    await waitFor(() => expect(screen.getByLabelText('team screen').textContent).toBe('Ward 4'));
    expect(screen.getByLabelText('send to reviewers').textContent).toBe('Ward 4');
    expect(readsOf(fake, PROJECTS)).toBe(1);
    const [stream] = FakeEventSource.open();
    stream?.opened();

    fake.routes[`GET ${PROJECTS}`] = [
      200,
      { projects: [{ id: 'p1', name: 'Ward 4 east', role: 'lead', expiresOn: null }] },
    ];
    // a change of another kind leaves the list as read
    stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
    stream?.send(JSON.stringify({ kind: 'project', at: 2 }));
    await waitFor(() => expect(screen.getByLabelText('team screen').textContent).toBe('Ward 4 east'));
    expect(screen.getByLabelText('send to reviewers').textContent).toBe('Ward 4 east');
    expect(readsOf(fake, PROJECTS)).toBe(2);
  });

  it('gives the Readiness’s screens the team’s samples in one request, read again on a signature heard', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    render(
      <>
        <Shows label="board" server={server} spec={teamSamplesRead} />
        <Shows label="pack" server={server} spec={teamSamplesRead} />
      </>,
    );
    await waitFor(() => expect(screen.getByLabelText('board').textContent).toBe('{"samples":[]}'));
    expect(screen.getByLabelText('pack').textContent).toBe('{"samples":[]}');
    expect(readsOf(fake, SAMPLES)).toBe(1);
    const [stream] = FakeEventSource.open();
    stream?.opened();

    // the person's role was changed to one that does not see the results: said, not failed
    fake.routes[`GET ${SAMPLES}`] = [403, { error: 'your role cannot see this' }];
    stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
    stream?.send(JSON.stringify({ kind: 'signatures', at: 2 }));
    await waitFor(() => expect(screen.getByLabelText('board').textContent).toBe('{"notForRole":true}'));
    expect(screen.getByLabelText('pack').textContent).toBe('{"notForRole":true}');
    expect(readsOf(fake, SAMPLES)).toBe(2);
  });

  it('gives two readers of a review’s server record one request, read again on a decision heard', async () => {
    const fake = serverWith();
    const server = { session: sessionOf(fake), projectId: 'p1' };
    render(
      <>
        <ShowsRecord label="review" server={server} />
        <ShowsRecord label="line" server={server} />
      </>,
    );
    const empty = '{"decisions":[],"signatures":[]}';
    await waitFor(() => expect(screen.getByLabelText('review').textContent).toBe(empty));
    expect(screen.getByLabelText('line').textContent).toBe(empty);
    expect(readsOf(fake, DECISIONS)).toBe(1);
    const [stream] = FakeEventSource.open();
    stream?.opened();
    stream?.send(JSON.stringify({ kind: 'steering', at: 1 }));
    stream?.send(JSON.stringify({ kind: 'signatures', at: 2 }));
    await waitFor(() => expect(readsOf(fake, DECISIONS)).toBe(2));
  });

  it('leaves a read as it is at the echo of its screen’s own change, and reads the others of the kind', async () => {
    const fake = serverWith();
    const session = sessionOf(fake);
    // the reviewer's screen made the change `OWN_CHANGE` names and shows it already; the Readiness's did not
    const own = (change: string) => change === OWN_CHANGE;
    render(
      <>
        <ShowsRecord label="mine" server={{ session, projectId: 'p1', own }} />
        <Shows label="samples" server={{ session, projectId: 'p1' }} spec={teamSamplesRead} />
      </>,
    );
    await waitFor(() => expect(screen.getByLabelText('mine').textContent).toMatch(/decisions/));
    await waitFor(() => expect(screen.getByLabelText('samples').textContent).toMatch(/samples/));
    const [stream] = FakeEventSource.open();
    stream?.opened();
    const counts = () => [readsOf(fake, DECISIONS), readsOf(fake, SAMPLES)];
    expect(counts()).toEqual([1, 1]);

    stream?.send(JSON.stringify({ kind: 'decisions', at: 1, change: OWN_CHANGE }));
    await waitFor(() => expect(counts()[1]).toBe(2));
    expect(counts()).toEqual([1, 2]);

    // another's decision (no id of this screen's) reads both again
    stream?.send(JSON.stringify({ kind: 'decisions', at: 2 }));
    await waitFor(() => expect(counts()).toEqual([2, 3]));
  });

  it('reads nothing while nobody is signed in', () => {
    render(<Shows label="list" server={undefined} spec={sharedWorkflowListRead} />);
    expect(screen.getByLabelText('list').textContent).toBe('reading');
    expect(FakeEventSource.made).toEqual([]);
  });
});
