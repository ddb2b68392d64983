// @vitest-environment jsdom
/**
 * The open project's sharing against the real team server (the embedded database, people signed
 * in by src/server/testing): sharing a project from the bar and its accepted issues, check sets
 * and readiness records reaching a colleague's project; the status line ("All changes saved to
 * the team server", "1 change waiting to be sent"); a change made offline kept across a reload
 * and sent when the browser is back online; a viewer's changes refused with one reason; and two
 * people changing one accepted issue, shown with both versions until one is chosen; and the
 * browser as a witness of the server's audit log: a rewrite made by whoever owns the database
 * (an entry deleted, the rest re-chained, the server's own signed heads deleted so the server
 * signs the rewritten log) is said in the bar with both heads, and the earlier head is kept.
 * Lives under tests/ and renders in jsdom: the app never imports src/server, and this needs the
 * real server and the app's bar together.
 */
import 'fake-indexeddb/auto';
import '../setup/component.ts';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { createElement, useState } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedRecordsBar } from '../../src/app/team/SharedRecordsBar.tsx';
import { TeamClient } from '../../src/app/team/teamClient.ts';
import { logWitnessStore } from '../../src/app/team/useSharedRecords.ts';
import type { TeamServerState } from '../../src/app/team/useTeamServer.ts';
import { applyChange, type ProjectChange } from '../../src/core/project/changes.ts';
import type { Project } from '../../src/formats/project.ts';
import { fixtureDataset, fixtureEmptyProject, fixtureSchema } from '../../src/formats/testing/fixtures.ts';
import type { Waiver } from '../../src/formats/waivers.ts';
import { type Database, readAudit } from '../../src/server/index.ts';
import { addMember, createProject } from '../../src/server/projects.ts';
import { fileTestEngines } from '../../src/server/testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from '../../src/server/testing/people.ts';
import { deleteAndRechain, deleteSignedHeads } from '../../src/server/testing/rewrite.ts';
import { createTeamSyncStore, type TeamSyncStore } from '../../src/storage/teamSyncStore.ts';

const userEvent = userEventBase.setup({ delay: null });
const PEOPLE = { lena: 'Lena Lead', dora: 'Dora Data', vic: 'Vic Viewer' } as const;
type Person = keyof typeof PEOPLE;

const testEngines = fileTestEngines();
let db: Database;
let server: ServerWithPeople<Person>;
let teamProjectId: string;
let teamProjectName: string;
let made = 0;
const NOW = Date.UTC(2026, 2, 9, 9, 0);

beforeAll(async () => {
  db = await testEngines.running().open('embedded');
  server = await serverWithPeople(db, PEOPLE, () => NOW);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});
beforeEach(async () => {
  vi.stubGlobal('indexedDB', new IDBFactory());
  teamProjectName = `Ward 4 go-live ${++made}`;
  teamProjectId = await db.transaction(async (tx) => {
    const id = await createProject(tx, { issuer: TEST_ISSUER, subject: 'lena' }, teamProjectName, NOW);
    await addMember(tx, id, { issuer: TEST_ISSUER, subject: 'dora' }, 'data', null, NOW);
    await addMember(tx, id, { issuer: TEST_ISSUER, subject: 'vic' }, 'viewer', null, NOW);
    return id;
  });
});

const waiver = (rationale: string): Waiver => ({
  id: 'w-dob',
  rule: 'contract.required',
  column: 'dob',
  rationale,
  owner: 'Dora Data',
  expires: '2026-12-31',
});
const emptyProject = (id: string): Project => fixtureEmptyProject(id, 'Ward 4');

/** `who`'s session as the app holds it, over a network that can be cut. */
async function sessionOf(who: Person, network: { up: boolean }): Promise<TeamServerState> {
  const me = (await server.ask(who, 'GET', '/api/me')).body;
  const client = new TeamClient(
    me.csrfToken,
    () => undefined,
    async (input, init) => {
      if (!network.up) throw new TypeError('Failed to fetch');
      return fetch(`${server.base}${input}`, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), cookie: server.cookieOf(who) },
      });
    },
  );
  return { phase: 'signed-in', user: { issuer: TEST_ISSUER, subject: who, ...me }, client, ended: false };
}

/** One person's app: their project, changed as the session's dispatch changes it, and the bar. */
function personApp(team: TeamServerState, start: Project, store: TeamSyncStore) {
  const copy: { project: Project; change?: (c: ProjectChange) => void } = { project: start };
  function Harness() {
    const [project, setProject] = useState(start);
    copy.project = project;
    copy.change = (c) => setProject((p) => applyChange(p, c, '2026-03-09T10:00:00Z'));
    return createElement(
      'div',
      { 'data-testid': team.phase === 'signed-in' ? team.user.subject : '' },
      createElement(SharedRecordsBar, { team, project, dispatch: (c) => copy.change?.(c), store }),
    );
  }
  const view = render(createElement(Harness));
  const withWaiver = (rationale: string) =>
    act(() =>
      copy.change?.({
        type: 'project/settings',
        settings: { ...copy.project.meta.settings, waivers: [waiver(rationale)] },
      }),
    );
  return { copy, view, withWaiver };
}

async function shareFrom(who: Person) {
  const bar = within(screen.getByTestId(who));
  await userEvent.click(
    await bar.findByRole('button', { name: /Share this project’s records with a team project/ }),
  );
  await userEvent.selectOptions(await bar.findByRole('combobox', { name: 'Team project' }), teamProjectName);
  await userEvent.click(bar.getByRole('button', { name: 'Share' }));
  return bar;
}

describe('a shared project’s records', () => {
  it('shares from the bar, says all is saved, and brings the records into a colleague’s project', async () => {
    const up = { up: true };
    const dora = personApp(
      await sessionOf('dora', up),
      emptyProject('dora-local'),
      createTeamSyncStore('dora-links'),
    );
    const lena = personApp(
      await sessionOf('lena', up),
      emptyProject('lena-local'),
      createTeamSyncStore('lena-links'),
    );
    const doraBar = await shareFrom('dora');
    await doraBar.findByText(
      /Shared with the team project “Ward 4 go-live \d+” · All changes saved to the team server/,
    );
    await act(() => dora.copy.change?.({ type: 'schema/put', schema: fixtureSchema('s1') }));
    await act(() => dora.copy.change?.({ type: 'dataset/put', dataset: fixtureDataset('d1', 's1') }));
    await dora.withWaiver('Walk-ins have no date of birth.');
    await waitFor(async () =>
      expect(
        (await server.ask('lena', 'GET', `/api/projects/${teamProjectId}/records`)).body.records,
      ).toHaveLength(3),
    );
    await doraBar.findByText(/All changes saved to the team server/);

    await shareFrom('lena');
    await waitFor(() =>
      expect(lena.copy.project.meta.settings.waivers).toEqual([waiver('Walk-ins have no date of birth.')]),
    );
    expect(lena.copy.project.datasets).toEqual([fixtureDataset('d1', 's1')]);
    expect(lena.copy.project.schemas).toEqual([fixtureSchema('s1')]);
    // Lena's readiness record reaches Dora's project when Dora's copy syncs
    await act(() =>
      lena.copy.change?.({
        type: 'project/settings',
        settings: { ...lena.copy.project.meta.settings, rollbackPlan: { present: true } },
      }),
    );
    await waitFor(async () =>
      expect(
        (
          await server.ask(
            'dora',
            'GET',
            `/api/projects/${teamProjectId}/records/readiness-record/rollbackPlan`,
          )
        ).status,
      ).toBe(200),
    );
    await within(screen.getByTestId('lena')).findByText(/All changes saved to the team server/);
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() => expect(dora.copy.project.meta.settings.rollbackPlan).toEqual({ present: true }));
    dora.view.unmount();
    lena.view.unmount();
  });

  it('says once why a viewer’s changes were not kept, and keeps none of them on the server', async () => {
    const up = { up: true };
    const start = {
      ...emptyProject('vic-local'),
      schemas: [fixtureSchema('s1')],
      datasets: [fixtureDataset('d1', 's1')],
    };
    personApp(await sessionOf('vic', up), start, createTeamSyncStore('vic-links'));
    const bar = await shareFrom('vic');
    const alert = await bar.findByRole('alert');
    expect(alert.textContent).toMatch(
      /did not keep these 2 changes.*your role on this project \(viewer\) cannot/i,
    );
    expect(within(alert).getByText('contract “patients contract”')).toBeTruthy();
    expect((await server.ask('lena', 'GET', `/api/projects/${teamProjectId}/records`)).body.records).toEqual(
      [],
    );
  });

  it('keeps a change made offline across a reload and sends it when back online', async () => {
    const network = { up: true };
    const store = createTeamSyncStore('dora-offline');
    const team = await sessionOf('dora', network);
    const first = personApp(team, emptyProject('dora-local'), store);
    const bar = await shareFrom('dora');
    await bar.findByText(/All changes saved to the team server/);
    network.up = false;
    await first.withWaiver('Typed on the train.');
    await bar.findByText(/1 change waiting to be sent: the team server cannot be reached just now/);
    const project = first.copy.project;
    first.view.unmount();
    store.close();

    // a reload: the same browser's store, the project as autosave kept it
    const again = personApp(team, project, createTeamSyncStore('dora-offline'));
    const barAgain = within(screen.getByTestId('dora'));
    await barAgain.findByText(/1 change waiting to be sent/);
    network.up = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await barAgain.findByText(/All changes saved to the team server/);
    const held = await server.ask('lena', 'GET', `/api/projects/${teamProjectId}/records/waiver/w-dob`);
    expect(held.body.record.body.rationale).toBe('Typed on the train.');
    again.view.unmount();
  });

  it('shows both versions of a record two people changed and keeps the one chosen', async () => {
    const up = { up: true };
    const dora = personApp(
      await sessionOf('dora', up),
      emptyProject('dora-local'),
      createTeamSyncStore('c-dora'),
    );
    await (await shareFrom('dora')).findByText(/All changes saved/);
    await dora.withWaiver('First reason.');
    // "All changes saved" is already on screen from the share: the waiver is on the server only
    // once the server holds it (this page follows no change stream: a later share is Lena's pull)
    await waitFor(async () =>
      expect(
        (await server.ask('lena', 'GET', `/api/projects/${teamProjectId}/records/waiver/w-dob`)).body.record
          ?.body.rationale,
      ).toBe('First reason.'),
    );
    await within(screen.getByTestId('dora')).findByText(/All changes saved to the team server/);
    const lenaNetwork = { up: true };
    const lena = personApp(
      await sessionOf('lena', lenaNetwork),
      emptyProject('lena-local'),
      createTeamSyncStore('c-lena'),
    );
    await shareFrom('lena');
    await waitFor(() => expect(lena.copy.project.meta.settings.waivers).toEqual([waiver('First reason.')]));
    await within(screen.getByTestId('lena')).findByText(/All changes saved/);

    // Lena edits offline while Dora's change reaches the server
    lenaNetwork.up = false;
    await lena.withWaiver('Lena’s reason.');
    await within(screen.getByTestId('lena')).findByText(/1 change waiting to be sent/);
    await dora.withWaiver('Dora’s reason.');
    await waitFor(async () =>
      expect(
        (await server.ask('lena', 'GET', `/api/projects/${teamProjectId}/records/waiver/w-dob`)).body.record
          .body.rationale,
      ).toBe('Dora’s reason.'),
    );
    lenaNetwork.up = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    const both = await within(screen.getByTestId('lena')).findByRole('region', {
      name: 'Both versions of accepted issue w-dob',
    });
    expect(
      within(both).getByText(/Dora Data changed the accepted issue “w-dob” on the team server/),
    ).toBeTruthy();
    const row = within(both).getByRole('row', { name: /rationale/ });
    expect(within(row).getByText('Lena’s reason.')).toBeTruthy();
    expect(within(row).getByText('Dora’s reason.')).toBeTruthy();
    // nothing settles it but the choice: Lena's copy still shows her version
    expect(lena.copy.project.meta.settings.waivers).toEqual([waiver('Lena’s reason.')]);
    await userEvent.click(within(both).getByRole('button', { name: 'Keep my version' }));
    await within(screen.getByTestId('lena')).findByText(/All changes saved to the team server/);
    expect(within(screen.getByTestId('lena')).queryByRole('region', { name: /Both versions/ })).toBeNull();
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() => expect(dora.copy.project.meta.settings.waivers).toEqual([waiver('Lena’s reason.')]));
    dora.view.unmount();
    lena.view.unmount();
  });

  it('says the team server’s audit log was changed when it no longer extends what this browser saw', async () => {
    const lena = personApp(
      await sessionOf('lena', { up: true }),
      emptyProject('lena-witness'),
      createTeamSyncStore('lena-witness-links'),
    );
    const bar = await shareFrom('lena');
    await lena.withWaiver('Walk-ins have no date of birth.');
    await bar.findByText(/All changes saved to the team server/);
    // a round after the write: this browser keeps the head that holds it
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(async () => expect((await logWitnessStore().get(teamProjectId))?.head.size).toBe(1));
    const seen = (await logWitnessStore().get(teamProjectId))?.head;
    // whoever owns the database deletes the write's entry, re-chains the rest and the server's heads
    const written = (await readAudit(db, { project: teamProjectId })).find(
      (e) => e.kind === 'record-written',
    );
    await deleteAndRechain(db, written?.seq as number);
    await deleteSignedHeads(db, teamProjectId);
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    const alarm = await bar.findByText(
      /The team server’s audit log for this project was changed after this browser last saw it/,
    );
    expect(alarm.getAttribute('role')).toBe('alert');
    // both heads in the words, and the earlier head kept as evidence, said again at the next round
    expect(alarm.textContent).toContain(
      `the 1 entries it signed at ${seen?.timestamp} (root ${seen?.rootHash})`,
    );
    expect(alarm.textContent).toMatch(/The server now shows 0 entries \(root [0-9a-f]{64}/);
    const kept = await logWitnessStore().get(teamProjectId);
    expect(kept?.head).toEqual(seen);
    expect(kept?.changed?.message).toBe(alarm.textContent);
    lena.view.unmount();
  });

  it('says it could not check the log against the team’s after a reload too, until another member’s report is checked', async () => {
    const store = createTeamSyncStore('lena-unchecked');
    const team = await sessionOf('lena', { up: true });
    const first = personApp(team, emptyProject('lena-unchecked'), store);
    const bar = await shareFrom('lena');
    const note =
      /^This browser could not check the team server’s audit log for this project against what the team saw: no other browser of the team has reported a head/;
    await bar.findByText(note);
    first.view.unmount();
    store.close();

    // a reload: a new sync of the same browser, which says it again
    const again = personApp(team, first.copy.project, createTeamSyncStore('lena-unchecked'));
    const barAgain = within(screen.getByTestId('lena'));
    expect((await barAgain.findByText(note)).getAttribute('role')).toBeNull();
    // Dora's browser reports the head it saw; Lena's next round checks hers against it
    const head = (await server.ask('dora', 'GET', `/api/projects/${teamProjectId}/log/head`)).body;
    expect(
      (await server.ask('dora', 'PUT', `/api/projects/${teamProjectId}/log/witness`, { head })).status,
    ).toBe(204);
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(async () =>
      expect((await logWitnessStore().get(teamProjectId))?.firstSeen?.checkedAgainst?.name).toBe('Dora Data'),
    );
    await waitFor(() => expect(barAgain.queryByText(note)).toBeNull());
    again.view.unmount();
  });
});
