/**
 * The go/no-go meeting as the committee records it: who was asked and who attended, the quorum
 * rule the clinic sets, and the conditions it attaches to a GO (what, who, by when). Kept in the
 * project's settings as it is typed; rows still being typed (no name, no text) are kept here and
 * saved once they have one, so the saved record always passes the project's schema. Whether the
 * quorum is met is the core's `quorumState`; this panel judges nothing itself.
 */
import { useId, useState } from 'react';
import { quorumState } from '../../core/readiness/index.ts';
import type { GoCondition, MeetingAttendee, SteeringMeeting } from '../../formats/steeringMeeting.ts';
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

export function MeetingPanel({
  meeting,
  suggested,
  onChange,
}: {
  meeting: SteeringMeeting | null;
  /** people to offer as attendees: the steering members the project knows (roster approvers) */
  suggested: readonly { name: string; title: string }[];
  /** saves the record in the project (absent: shown only) */
  onChange?: ((meeting: SteeringMeeting) => void) | undefined;
}) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => meeting ?? { attendees: [], conditions: [] });
  const [roles, setRoles] = useState(() => (meeting?.quorum?.roles ?? []).join(', '));
  const edit = (next: Draft) => {
    setDraft(next);
    onChange?.(saved(next));
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
  const off = !onChange;
  return (
    <section className="card meeting" aria-labelledby={`${id}-title`} data-testid="steering-meeting">
      <h3 id={`${id}-title`}>The go/no-go meeting</h3>
      <p className="hint">
        Who attends, the quorum the clinic sets, and the conditions the committee attaches to a GO. Printed on
        page 1 of the evidence pack; none of it changes the readiness a decision is signed on.
      </p>
      <fieldset>
        <legend>Attendees</legend>
        {draft.attendees.length === 0 && <p>No attendee yet.</p>}
        {draft.attendees.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id
          <div key={i} className="meeting-row">
            <label>
              Name{' '}
              <input
                autoComplete="off"
                value={a.name}
                disabled={off}
                onChange={(e) => attendee(i, { name: e.target.value })}
              />
            </label>
            <label>
              Role{' '}
              <input
                autoComplete="off"
                value={a.role ?? ''}
                disabled={off}
                onChange={(e) =>
                  edit({
                    ...draft,
                    attendees: replaceAt(draft.attendees, i, (r) => put(r, 'role', e.target.value)),
                  })
                }
              />
            </label>
            <label>
              <input
                type="checkbox"
                checked={a.steering}
                disabled={off}
                onChange={(e) => attendee(i, { steering: e.target.checked })}
              />{' '}
              Steering member
            </label>
            <label>
              <input
                type="checkbox"
                checked={a.attended}
                disabled={off}
                onChange={(e) => attendee(i, { attended: e.target.checked })}
              />{' '}
              Attended
            </label>
            <button
              type="button"
              disabled={off}
              onClick={() => edit({ ...draft, attendees: draft.attendees.filter((_, j) => j !== i) })}
            >
              Remove {a.name || 'attendee'}
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={off}
          onClick={() =>
            edit({
              ...draft,
              attendees: [...draft.attendees, { name: '', steering: false, attended: false }],
            })
          }
        >
          Add an attendee
        </button>
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
            <label>
              Condition{' '}
              <input
                autoComplete="off"
                value={c.text}
                disabled={off}
                onChange={(e) => condition(i, 'text', e.target.value)}
              />
            </label>
            <label>
              Owner{' '}
              <input
                autoComplete="off"
                value={c.owner ?? ''}
                disabled={off}
                onChange={(e) => condition(i, 'owner', e.target.value)}
              />
            </label>
            <label>
              Due{' '}
              <input
                type="date"
                value={c.due ?? ''}
                disabled={off}
                onChange={(e) => condition(i, 'due', e.target.value)}
              />
            </label>
            <button
              type="button"
              disabled={off}
              onClick={() => edit({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}
            >
              Remove condition {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={off}
          onClick={() => edit({ ...draft, conditions: [...draft.conditions, { text: '' }] })}
        >
          Add a condition
        </button>
      </fieldset>
    </section>
  );
}
