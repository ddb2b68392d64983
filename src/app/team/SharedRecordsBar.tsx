/**
 * Whether the open project is shared on the team server and whether everything is sent: "All
 * changes saved to the team server", "3 changes waiting to be sent", or that the server cannot be
 * reached just now (the changes are kept in this browser). A change someone else made first is
 * told beside the form that holds the record (RecordConflict.tsx), in words, with their value and
 * yours and the choice of which to keep; here it is summarised with a way there, or shown whole
 * when no form on screen holds the record. A change the server refused (a role that may not make it) is
 * said with the server's reason. Not shared yet: a lead or member chooses the team project to
 * share the open project's records with.
 */
import { useEffect, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  KIND_RULES,
  type RecordConflict,
  type RefusedWrite,
  recordKey,
  type SharedRecordKind,
} from '../../core/teamRecords/index.ts';
import type { Project } from '../../formats/project.ts';
import type { TeamSyncStore } from '../../storage/teamSyncStore.ts';
import { LogWitnessNotice } from './LogWitnessNotice.tsx';
import { ConflictChoice } from './RecordConflict.tsx';
import { conflictPlaceId, publishConflicts, usePlacedTest } from './recordConflicts.ts';
import { explainRefusal, type TeamProjectSummary } from './teamClient.ts';
import { teamProjectsRead } from './teamReads.ts';
import { type SharedRecords, useSharedRecords } from './useSharedRecords.ts';
import { useTeamServerRead } from './useTeamRead.ts';
import type { TeamServerState } from './useTeamServer.ts';

/** The words of the status line. */
function syncWords(waiting: number, offline: boolean): string {
  if (waiting === 0) return 'All changes saved to the team server';
  const changes = waiting === 1 ? '1 change' : `${waiting} changes`;
  return offline
    ? `${changes} waiting to be sent: the team server cannot be reached just now, and they are kept in this browser`
    : `${changes} waiting to be sent`;
}

/** The whole status after the project's name: waiting, choices to make, or all saved. */
function statusWords(waiting: number, choices: number, offline: boolean, signedOut: boolean): string {
  const choose =
    choices === 0 ? '' : `${choices === 1 ? '1 change needs' : `${choices} changes need`} your choice below`;
  if (waiting === 0) return choices === 0 ? syncWords(0, offline) : choose;
  const sending = signedOut
    ? `${syncWords(waiting, false)}: sign in to the team server to send them`
    : syncWords(waiting, offline);
  return choose === '' ? sending : `${sending} · ${choose}`;
}

/** When this browser last sent and heard everything, in the person's own time of day. */
export function lastSyncedWords(iso: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const today = at.toDateString() === new Date().toDateString();
  return `Last synced with the team server ${today ? `at ${time}` : `on ${at.toLocaleDateString()} at ${time}`}.`;
}

const kindWord = (kind: SharedRecordKind) => KIND_RULES[kind].one;
const nameOf = (body: unknown, id: string) => {
  const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : id;
};
/** Refused writes grouped by the server's reason (a role refused shows once, not per record). */
function refusedGroups(refused: readonly RefusedWrite[]): { reason: string; names: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const r of refused) {
    const reason = explainRefusal(r.status, r.reason);
    const name = `${kindWord(r.write.kind)} “${nameOf(r.write.body, r.write.id)}”`;
    groups.set(reason, [...(groups.get(reason) ?? []), name]);
  }
  return [...groups].map(([reason, names]) => ({ reason, names }));
}

/**
 * The top bar's line for a conflict told beside its form: who changed what, and a way to the
 * place where both values and the choice are.
 */
function ConflictSummary({ conflict }: { conflict: RecordConflict }) {
  const { mine, theirs } = conflict;
  const go = () => {
    const place = document.getElementById(conflictPlaceId(mine.kind, mine.id));
    place?.scrollIntoView({ block: 'center' });
    place?.focus({ preventScroll: true });
  };
  return (
    <p className="record-conflict-summary">
      {theirs.by} changed the {kindWord(mine.kind)} “{nameOf(mine.body ?? theirs.body, mine.id)}” while you
      were changing it here: both values and the choice are beside it.{' '}
      <button type="button" className="link-button" onClick={go}>
        Go to it
      </button>
    </p>
  );
}

function ShareForm({
  team,
  sharing,
}: {
  team: Extract<TeamServerState, { phase: 'signed-in' }>;
  sharing: SharedRecords;
}) {
  const [chosen, setChosen] = useState('');
  const [open, setOpen] = useState(false);
  // the person's projects, their one copy in the browser's cache of team reads, read once the
  // form is opened
  const list = useTeamServerRead(open ? team.client.session : undefined, team.user.subject, teamProjectsRead);
  const projects: TeamProjectSummary[] | null = list.value ?? null;
  const message = list.unread ?? '';
  const shown = chosen !== '' ? chosen : (projects?.[0]?.id ?? '');
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Share this project’s records with a team project…
      </button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const project = projects?.find((p) => p.id === shown);
        if (project) void sharing.share(project);
      }}
    >
      {projects === null && message === '' && <p role="status">Reading your team projects…</p>}
      {projects !== null && projects.length === 0 && (
        <p>You are not a member of any team project yet: create one on the Team page first.</p>
      )}
      {projects !== null && projects.length > 0 && (
        <>
          <label>
            Team project{' '}
            <select value={shown} onChange={(e) => setChosen(e.target.value)}>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit" className="primary">
            Share
          </button>
        </>
      )}
      {message && <p role="alert">{message}</p>}
    </form>
  );
}

/** The open project's sharing on the team server; nothing where there is no team server. */
export function SharedRecordsBar({
  team,
  project,
  dispatch,
  store,
  latest,
}: {
  team: TeamServerState;
  project: Project | null;
  dispatch: ((change: ProjectChange) => void) | undefined;
  /** the tests' own store */
  store?: TeamSyncStore;
  /** the project as it is this instant (the session's state) */
  latest?: () => Project | null;
}) {
  const sharing = useSharedRecords(team, project, dispatch, store, latest);
  const conflicts = (sharing.view?.state ?? sharing.link?.state)?.conflicts;
  const { settle } = sharing;
  // the forms that hold a record tell its conflict beside it: they read what the sync holds
  useEffect(() => {
    publishConflicts(conflicts === undefined ? undefined : { conflicts, settle });
  }, [conflicts, settle]);
  useEffect(() => () => publishConflicts(undefined), []);
  const isPlaced = usePlacedTest();
  if (project === null || team.phase === 'none' || team.phase === 'probing') return null;
  const { link, view } = sharing;
  if (link === undefined) return null;
  if (link === null)
    return team.phase === 'signed-in' && !team.ended ? (
      <section className="shared-records" aria-label="Team sharing">
        <ShareForm team={team} sharing={sharing} />
      </section>
    ) : null;
  const state = view?.state ?? link.state;
  const signedOut = team.phase !== 'signed-in' || team.ended;
  return (
    <section className="shared-records" aria-label="Team sharing">
      <p role="status">
        Shared with the team project “{link.teamProjectName}” ·{' '}
        {statusWords(state.pending.length, state.conflicts.length, view?.offline ?? false, signedOut)}
      </p>
      {view?.lastSynced && (
        <p className="hint" data-testid="last-synced">
          {lastSyncedWords(view.lastSynced)}
        </p>
      )}
      {view?.problem && <p role="alert">{view.problem}</p>}
      <LogWitnessNotice alarm={view?.logChanged} note={view?.logNote} />
      {state.conflicts.map((c) =>
        isPlaced(c) ? (
          <ConflictSummary key={recordKey(c.mine)} conflict={c} />
        ) : (
          <ConflictChoice key={recordKey(c.mine)} conflict={c} settle={sharing.settle} />
        ),
      )}
      {refusedGroups(state.refused).map(({ reason, names }) => (
        <div role="alert" key={reason}>
          <p>
            The team server did not keep{' '}
            {names.length === 1 ? 'this change' : `these ${names.length} changes`}; they stay in this project
            here. {reason}
          </p>
          <details>
            <summary>Which</summary>
            <ul>
              {names.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ul>
          </details>
        </div>
      ))}
      <button type="button" onClick={() => void sharing.unshare()}>
        Stop sharing from this browser
      </button>
    </section>
  );
}
