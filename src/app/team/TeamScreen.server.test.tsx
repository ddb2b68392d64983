/**
 * The team project screen against the real server (`preflight serve`'s routes over the embedded
 * database, people signed in as the sign-in callback signs them in): the lead renames the project
 * and another member sees the new name without a rename control; a refusal is the server's own
 * words next to the field; the lead reads the audit log in plain words (a member who left still
 * named) and downloads the file `preflight check` verifies.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
// biome-ignore lint/style/noRestrictedImports: the test starts the real server the screen talks to over HTTP
import { fileTestEngines } from '../../server/testing/databases.ts';
// biome-ignore lint/style/noRestrictedImports: as above; the screen itself imports nothing of the server
import { type ServerWithPeople, serverWithPeople } from '../../server/testing/people.ts';
import { captureDownloads } from '../common/testing/downloads.ts';
import { TeamScreen } from './TeamScreen.tsx';
import type { Fetch } from './teamClient.ts';
import { useTeamServer } from './useTeamServer.ts';

const userEvent = userEventBase.setup({ delay: null });

const PEOPLE = { lena: 'Lena Lead', ana: 'Ana Lyst', mo: 'Mo Second-Lead' } as const;
type Who = keyof typeof PEOPLE;
const NOW = Date.parse('2026-11-25T10:00:00.000Z');

const testEngines = fileTestEngines();
let server: ServerWithPeople<Who>;
let projectId: string;

beforeEach(async () => {
  server = await serverWithPeople(await testEngines.running().open('embedded'), PEOPLE, () => NOW);
  const created = await server.ask('lena', 'POST', '/api/projects', { name: 'Ward 4 go-live' });
  projectId = created.body.project.id;
  const added = await server.ask('lena', 'POST', `/api/projects/${projectId}/members`, {
    subject: 'ana',
    role: 'analyst',
  });
  expect(added.status).toBe(201);
  window.location.hash = `#/team/${projectId}`;
});
afterEach(async () => {
  await server.close();
});

/** `who`'s browser: the app's same-origin requests go to the test server with their cookie. */
function browserOf(who: Who): Fetch {
  return (input, init) =>
    fetch(`${server.base}${input}`, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie: server.cookieOf(who) },
    });
}

function Screen({ fetchImpl }: { fetchImpl: Fetch }) {
  const team = useTeamServer(fetchImpl);
  return <TeamScreen state={team.state} teamProject={projectId} />;
}

describe('renaming a project', () => {
  it('the lead renames it inline; another member sees the new name and no rename control', async () => {
    const lead = render(<Screen fetchImpl={browserOf('lena')} />);
    await screen.findByRole('heading', { name: 'Ward 4 go-live' });
    await userEvent.click(screen.getByRole('button', { name: 'Rename project' }));
    const form = screen.getByRole('form', { name: 'Rename project' });
    const field = within(form).getByLabelText('New project name') as HTMLInputElement;
    expect(field.getAttribute('autocomplete')).toBe('off');
    expect(field.value).toBe('Ward 4 go-live');
    await userEvent.clear(field);
    await userEvent.click(within(form).getByRole('button', { name: 'Save name' }));
    expect(within(form).getByRole('alert').textContent).toBe('Give the project a name.');
    await userEvent.type(field, '  Ward 4 and 5 go-live ');
    await userEvent.click(within(form).getByRole('button', { name: 'Save name' }));
    await screen.findByRole('heading', { name: 'Ward 4 and 5 go-live' });
    expect(screen.getByRole('status').textContent).toBe('The project is now called “Ward 4 and 5 go-live”.');
    expect(screen.queryByRole('form', { name: 'Rename project' })).toBeNull();
    lead.unmount();

    render(<Screen fetchImpl={browserOf('ana')} />);
    await screen.findByRole('heading', { name: 'Ward 4 and 5 go-live' });
    expect(screen.queryByRole('button', { name: 'Rename project' })).toBeNull();
    const listed = await server.ask('ana', 'GET', '/api/projects');
    expect(listed.body.projects.map((p: { name: string }) => p.name)).toEqual(['Ward 4 and 5 go-live']);
  });

  it('says the server’s refusal next to the field and keeps what was typed', async () => {
    render(<Screen fetchImpl={browserOf('lena')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Rename project' }));
    const form = screen.getByRole('form', { name: 'Rename project' });
    const field = within(form).getByLabelText('New project name') as HTMLInputElement;
    await userEvent.clear(field);
    // a name pasted from a spreadsheet, with a tab in it
    await userEvent.paste('Ward 4\tgo-live');
    await userEvent.click(within(form).getByRole('button', { name: 'Save name' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toBe('A project’s name must have letters in it and fit on one line.');
    expect(field.getAttribute('aria-describedby')).toBe(alert.id);
    expect(field.value).toBe('Ward 4\tgo-live');
    expect(screen.getByRole('heading', { name: 'Ward 4 go-live' })).toBeTruthy();
  });

  it('a lead made analyst while the form is open is told so, and the control goes', async () => {
    // a second lead, so the first can be made an analyst while her screen is open
    expect(
      (
        await server.ask('lena', 'POST', `/api/projects/${projectId}/members`, {
          subject: 'mo',
          role: 'lead',
        })
      ).status,
    ).toBe(201);
    render(<Screen fetchImpl={browserOf('lena')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Rename project' }));
    const form = screen.getByRole('form', { name: 'Rename project' });
    await userEvent.type(within(form).getByLabelText('New project name'), ' (renamed too late)');

    const members = (await server.ask('mo', 'GET', `/api/projects/${projectId}`)).body.members as {
      id: string;
      subject: string;
    }[];
    const lena = members.find((m) => m.subject === 'lena')?.id as string;
    const demoted = await server.ask('mo', 'PATCH', `/api/projects/${projectId}/members/${lena}`, {
      role: 'analyst',
    });
    expect(demoted.status).toBe(200);

    await userEvent.click(within(form).getByRole('button', { name: 'Save name' }));
    await screen.findByText('Analyst', { selector: 'strong' });
    expect(screen.getByRole('alert').textContent).toBe(
      'Your role on this project (analyst) cannot rename this project: ask the project’s lead.',
    );
    expect(screen.queryByRole('form', { name: 'Rename project' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rename project' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Ward 4 go-live' })).toBeTruthy();
  });
});

describe('the audit log on screen', () => {
  let saved: Map<string, Blob>;
  beforeEach(() => {
    saved = captureDownloads();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the lead reads who did what in plain words, and downloads the file the check verifies', async () => {
    await server.ask('lena', 'PATCH', `/api/projects/${projectId}`, { name: 'Ward 4 and 5 go-live' });
    const roster = (await server.ask('lena', 'GET', `/api/projects/${projectId}`)).body.members as {
      id: string;
      subject: string;
    }[];
    const ana = roster.find((m) => m.subject === 'ana')?.id as string;
    await server.ask('lena', 'DELETE', `/api/projects/${projectId}/members/${ana}`);
    render(<Screen fetchImpl={browserOf('lena')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Show audit log' }));
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    // Ana is off the roster and never acted here: the entries about her still name her
    expect(rows).toEqual([
      ['5', '2026-11-25 10:00 UTC', 'Lena Lead', 'Read or downloaded this audit log'],
      ['4', '2026-11-25 10:00 UTC', 'Lena Lead', 'Removed Ana Lyst (Analyst) from the project'],
      [
        '3',
        '2026-11-25 10:00 UTC',
        'Lena Lead',
        'Renamed the project from “Ward 4 go-live” to “Ward 4 and 5 go-live”',
      ],
      ['2', '2026-11-25 10:00 UTC', 'Lena Lead', 'Added Ana Lyst as Analyst, no end date'],
      ['1', '2026-11-25 10:00 UTC', 'Lena Lead', 'Created the project “Ward 4 go-live”'],
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Download audit log' }));
    await waitFor(() => expect([...saved.keys()]).toEqual(['Ward-4-and-5-go-live-audit-log.json']));
    const blob = saved.get('Ward-4-and-5-go-live-audit-log.json') as Blob;
    const text = await blob.text();
    const folder = await mkdtemp(join(tmpdir(), 'preflight-audit-'));
    const onDisk = join(folder, 'Ward-4-and-5-go-live-audit-log.json');
    await writeFile(onDisk, text);
    const out: string[] = [];
    const code = await main(['check', onDisk], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      cwd: '/',
    });
    await rm(folder, { recursive: true });
    expect({ code, out }).toEqual({ code: 0, out: [expect.stringMatching(/: ok \(project audit log\)$/)] });
    // the download is itself read and recorded: its last entry is that reading
    expect(JSON.parse(text).entries.map((e: { kind: string }) => e.kind)).toEqual([
      'project-created',
      'member-added',
      'project-renamed',
      'member-removed',
      'audit-exported',
      'audit-exported',
    ]);
  });

  it('another member sees no audit log, and the server refuses them it', async () => {
    render(<Screen fetchImpl={browserOf('ana')} />);
    await screen.findByText('Only the project’s lead can read and export its audit log.');
    expect(screen.queryByRole('button', { name: 'Download audit log' })).toBeNull();
    expect((await server.ask('ana', 'GET', `/api/projects/${projectId}/audit`)).status).toBe(403);
  });
});
