/**
 * The go/no-go meeting as the committee records it: who was asked and who attended, the quorum
 * rule the clinic sets, and the conditions it attaches to a GO (what, who, by when). Kept in the
 * project's settings as it is typed; rows still being typed (no name, no text) are kept here and
 * saved once they have one, so the saved record always passes the project's schema. Whether the
 * quorum is met is the core's `quorumState`; this panel judges nothing itself.
 *
 * On a project shared with a team server the record is one of the team's readiness records: it is
 * saved into the project's replica like every form, and the team sync sends it. Who records it is
 * read from the role table the server refuses by (`recordWriteAction`: the lead and the steering
 * committee); the member signed in is named, and any other role, or nobody signed in, sees it
 * read-only with the reason. When the record changes under the panel (a colleague's write pulled
 * in), the panel shows it, and a row still being typed here is dropped.
 */

import { useEffect, useId, useRef, useState } from 'react';
import { quorumState } from '../../core/readiness/index.ts';
import { recordWriteAction } from '../../core/teamRecords/index.ts';
import { ACTION_WORDS, mayDo, type ProjectAction, rolesThatMay } from '../../core/teamRoles/index.ts';
import {
  type GoCondition,
  type MeetingAttendee,
  PROJECT_STEERING_MEETING_KEY,
  readSteeringMeeting,
  type SteeringMeeting,
  withSteeringMeeting,
} from '../../formats/steeringMeeting.ts';
import type { ProjectSharing } from '../team/projectSharing.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { ROLE_LABELS } from '../team/teamClient.ts';
import { useMemberRole } from '../team/useMemberRole.ts';
import { AddRowButton } from './RecordTable.tsx';
import { put, replaceAt } from './recordEdits.ts';

/** What the form holds: the record, with rows that may still lack a name or a text. */
type Draft = SteeringMeeting;

/** The draft as it may be saved: rows without a name or a text left out. */
function saved(draft: Draft): SteeringMeeting {
  return {
    ...draft,
    attendees: draft.attendees.filter((a) => a.name.trim() !== ''),
    conditions: draft.conditions.filter((c) => c.text.trim() !== ''),
  };
}

/**
 * A record as the project keeps it, as text that compares: what `readSteeringMeeting` reads back
 * (it builds each object in one key order, so equal records give equal text).
 */
const asKept = (meeting: SteeringMeeting | null): string =>
  meeting === null ? 'null' : JSON.stringify(readSteeringMeeting(withSteeringMeeting({}, meeting)));

/** The action of the role table that writes the meeting record on a team server: the server's own check. */
const MEETING_ACTION: ProjectAction = recordWriteAction('readiness-record', PROJECT_STEERING_MEETING_KEY);

/** Who records the meeting here: anyone (this browser's project), the member signed in, or nobody, with why. */
type Recorder =
  | { kind: 'local' }
  | { kind: 'member'; by: string }
  /** who records is still being read: nothing is offered meanwhile (`why` empty while the sharing itself is) */
  | { kind: 'waiting'; why: string }
  | { kind: 'nobody'; why: string };

/** The recorder of a project shared as `sharing` (absent: this browser's own), its member's role read as `member`. */
function recorderOf(sharing: ProjectSharing | undefined, member: ReturnType<typeof useMemberRole>): Recorder {
  if (sharing === undefined || sharing.kind === 'local') return { kind: 'local' };
  if (sharing.kind === 'reading') return { kind: 'waiting', why: '' };
  if (sharing.signer === undefined)
    return {
      kind: 'nobody',
      why: 'This project is shared with your clinic’s Preflight server: sign in to record the meeting, as yourself.',
    };
  if (member === undefined || member.state === 'reading')
    return { kind: 'waiting', why: 'Reading your role on the team project…' };
  if (member.state === 'failed')
    return {
      kind: 'nobody',
      why: `Your role on the team project could not be read, so the meeting cannot be recorded here: ${member.why}`,
    };
  const role = ROLE_LABELS[member.role];
  if (mayDo(member.role, MEETING_ACTION)) return { kind: 'member', by: `${member.name} (${role})` };
  const who = rolesThatMay(MEETING_ACTION)
    .map((r) => ROLE_LABELS[r])
    .join(', ');
  return {
    kind: 'nobody',
    why: `You see the meeting read-only: your role on the team project (${role}) cannot ${ACTION_WORDS[MEETING_ACTION]}. Who records it: ${who}.`,
  };
}

/** A field of a row, named by the words of its label; `date` makes it a day. */
function RowField({
  words,
  value,
  disabled,
  date = false,
  onText,
}: {
  words: string;
  value: string;
  disabled: boolean;
  date?: boolean;
  onText: (text: string) => void;
}) {
  return (
    <label>
      {words}{' '}
      <input
        autoComplete="off"
        type={date ? 'date' : undefined}
        value={value}
        disabled={disabled}
        onChange={(e) => onText(e.target.value)}
      />
    </label>
  );
}

/** A yes or no of a row, named by the words after its box. */
function RowTick({
  words,
  checked,
  disabled,
  onTick,
}: {
  words: string;
  checked: boolean;
  disabled: boolean;
  onTick: (checked: boolean) => void;
}) {
  return (
    <label>
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onTick(e.target.checked)}
      />{' '}
      {words}
    </label>
  );
}

/** The sharing of a project this browser holds alone. */
const LOCAL: ProjectSharing = { kind: 'local' };

/** The panel (see the file header). */
export function MeetingPanel({
  meeting,
  suggested,
  onChange,
  sharing,
}: {
  meeting: SteeringMeeting | null;
  /** people to offer as attendees: the steering members the project knows (roster approvers) */
  suggested: readonly { name: string; title: string }[];
  /** saves the record in the project (absent: shown only) */
  onChange?: ((meeting: SteeringMeeting) => void) | undefined;
  /** the open project's sharing (absent: this browser's own project) */
  sharing?: ProjectSharing;
}) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => meeting ?? { attendees: [], conditions: [] });
  const [roles, setRoles] = useState(() => (meeting?.quorum?.roles ?? []).join(', '));
  const member = useMemberRole(sharing ?? LOCAL);
  const recorder = recorderOf(sharing, member);
  // the records this panel saved and has not seen come back yet: the echo of its own edit is not
  // a change from elsewhere, however late it arrives
  const echoes = useRef<string[]>([]);
  const kept = asKept(meeting);
  const seen = useRef(kept);
  useEffect(() => {
    if (kept === seen.current) return;
    seen.current = kept;
    const at = echoes.current.indexOf(kept);
    if (at >= 0) {
      echoes.current = echoes.current.slice(at + 1);
      return;
    }
    // written elsewhere (a colleague's write pulled in, an undo): shown as it now is
    echoes.current = [];
    setDraft(meeting ?? { attendees: [], conditions: [] });
    setRoles((meeting?.quorum?.roles ?? []).join(', '));
  }, [kept, meeting]);
  const edit = (next: Draft) => {
    setDraft(next);
    const record = saved(next);
    echoes.current.push(asKept(record));
    onChange?.(record);
  };
  const attendee = (index: number, change: Partial<MeetingAttendee>) =>
    edit({ ...draft, attendees: replaceAt(draft.attendees, index, (a) => ({ ...a, ...change })) });
  const condition = (index: number, key: keyof GoCondition, value: string) =>
    edit({
      ...draft,
      conditions: replaceAt(draft.conditions, index, (c) =>
        key === 'text' ? { ...c, text: value } : put(c, key, value),
      ),
    });
  const quorum = (change: { minSteering?: number | ''; roles?: string[] }) => {
    let next = { ...(draft.quorum ?? {}) };
    if (change.minSteering !== undefined) next = put(next, 'minSteering', change.minSteering);
    if (change.roles !== undefined) next = put(next, 'roles', change.roles);
    const { quorum: _old, ...rest } = draft;
    edit(next.minSteering === undefined && next.roles === undefined ? rest : { ...rest, quorum: next });
  };
  const missing = suggested.filter((s) => !draft.attendees.some((a) => a.name === s.name));
  const state = quorumState(saved(draft));
  const off = !onChange || recorder.kind === 'waiting' || recorder.kind === 'nobody';
  return (
    <section className="card meeting" aria-labelledby={`${id}-title`} data-testid="steering-meeting">
      <h3 id={`${id}-title`}>The go/no-go meeting</h3>
      <p className="hint">
        Who attends, the quorum the clinic sets, and the conditions the committee attaches to a GO. Printed on
        page 1 of the evidence pack; none of it changes the readiness a decision is signed on.
      </p>
      {onChange && recorder.kind === 'member' && (
        <p data-testid="meeting-recorder">
          Recording as <strong>{recorder.by}</strong>, signed in to the team server.
        </p>
      )}
      {onChange && recorder.kind === 'waiting' && recorder.why !== '' && (
        <p className="hint">{recorder.why}</p>
      )}
      {onChange && recorder.kind === 'nobody' && (
        <p className="hint" data-testid="meeting-read-only">
          {recorder.why}
        </p>
      )}
      {/* a colleague's change made first is told here, beside the meeting it concerns */}
      <ConflictBeside
        kind="readiness-record"
        id={PROJECT_STEERING_MEETING_KEY}
        what="go/no-go meeting record"
      />
      <fieldset>
        <legend>Attendees</legend>
        {draft.attendees.length === 0 && <p>No attendee yet.</p>}
        {draft.attendees.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id
          <div key={i} className="meeting-row">
            <RowField words="Name" value={a.name} disabled={off} onText={(name) => attendee(i, { name })} />
            <RowField
              words="Role"
              value={a.role ?? ''}
              disabled={off}
              onText={(role) =>
                edit({ ...draft, attendees: replaceAt(draft.attendees, i, (r) => put(r, 'role', role)) })
              }
            />
            <RowTick
              words="Steering member"
              checked={a.steering}
              disabled={off}
              onTick={(steering) => attendee(i, { steering })}
            />
            <RowTick
              words="Attended"
              checked={a.attended}
              disabled={off}
              onTick={(attended) => attendee(i, { attended })}
            />
            <button
              type="button"
              disabled={off}
              onClick={() => edit({ ...draft, attendees: draft.attendees.filter((_, j) => j !== i) })}
            >
              Remove {a.name || 'attendee'}
            </button>
          </div>
        ))}
        <AddRowButton
          disabled={off}
          onAdd={() =>
            edit({
              ...draft,
              attendees: [...draft.attendees, { name: '', steering: false, attended: false }],
            })
          }
        >
          Add an attendee
        </AddRowButton>
        {missing.length > 0 && (
          <button
            type="button"
            disabled={off}
            onClick={() =>
              edit({
                ...draft,
                attendees: [
                  ...draft.attendees,
                  ...missing.map((s) => ({ name: s.name, role: s.title, steering: true, attended: false })),
                ],
              })
            }
          >
            Add the steering members ({missing.map((s) => s.name).join(', ')})
          </button>
        )}
      </fieldset>
      <fieldset>
        <legend>Quorum</legend>
        <label>
          At least this many steering members attend{' '}
          <input
            type="number"
            min={1}
            value={draft.quorum?.minSteering ?? ''}
            disabled={off}
            onChange={(e) => {
              const n = Number.parseInt(e.target.value, 10);
              quorum({ minSteering: Number.isInteger(n) && n >= 1 ? n : '' });
            }}
          />
        </label>
        <label>
          Roles that must attend (comma-separated){' '}
          <input
            autoComplete="off"
            value={roles}
            disabled={off}
            onChange={(e) => {
              setRoles(e.target.value);
              quorum({ roles: e.target.value.split(',').flatMap((r) => (r.trim() ? [r.trim()] : [])) });
            }}
          />
        </label>
        <p role="status" className={state.state === 'not-met' ? 'pack-flag' : undefined}>
          {state.words}
        </p>
      </fieldset>
      <fieldset>
        <legend>Conditions for go</legend>
        {draft.conditions.length === 0 && <p>No condition yet.</p>}
        {draft.conditions.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id
          <div key={i} className="meeting-row">
            <RowField
              words="Condition"
              value={c.text}
              disabled={off}
              onText={(text) => condition(i, 'text', text)}
            />
            <RowField
              words="Owner"
              value={c.owner ?? ''}
              disabled={off}
              onText={(owner) => condition(i, 'owner', owner)}
            />
            <RowField
              words="Due"
              date
              value={c.due ?? ''}
              disabled={off}
              onText={(due) => condition(i, 'due', due)}
            />
            <button
              type="button"
              disabled={off}
              onClick={() => edit({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}
            >
              Remove condition {i + 1}
            </button>
          </div>
        ))}
        <AddRowButton
          disabled={off}
          onAdd={() => edit({ ...draft, conditions: [...draft.conditions, { text: '' }] })}
        >
          Add a condition
        </AddRowButton>
      </fieldset>
    </section>
  );
}
