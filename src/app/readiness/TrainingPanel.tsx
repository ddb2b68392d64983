/**
 * Training and go-live support (docs/product.md#readiness): per role of the planned workflows,
 * its staff, how many were trained on the role's changed work, the sessions planned and delivered,
 * how many passed a proficiency check and its super-users; and the at-the-elbow support per area and shift of go-live week. Kept in
 * the project's settings as it is typed, so it survives a reload and travels with an export; the
 * training and go-live phases judge it against the gates.
 */
import { useId, useState } from 'react';
import type { Project } from '../../formats/project.ts';
import {
  PROJECT_TRAINING_RECORD_KEY,
  type RoleTraining,
  type SupportShift,
  type TrainingRecord,
} from '../../formats/trainingRecord.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';

const COUNT_FIELDS = [
  { key: 'staff', label: (role: string) => `Staff in ${role}` },
  { key: 'trained', label: (role: string) => `Trained in ${role}` },
  { key: 'sessionsPlanned', label: (role: string) => `Sessions planned for ${role}` },
  { key: 'sessionsDelivered', label: (role: string) => `Sessions delivered for ${role}` },
  { key: 'proficient', label: (role: string) => `Passed the proficiency check in ${role}` },
] as const;

type CountKey = (typeof COUNT_FIELDS)[number]['key'];

/** A whole number of 0 or more typed in a field, '' for none, or null when it is not one. */
function wholeNumber(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : null;
}

/** The roles of the project's planned workflows (their lanes), then any recorded role not among them. */
function trainingRoles(project: Project, record: TrainingRecord): string[] {
  const names = new Set<string>();
  for (const w of project.workflows)
    if (w.state === 'future') for (const lane of w.lanes) names.add(lane.name);
  for (const r of record.roles) names.add(r.role);
  return [...names];
}

/** One line saying where a role stands, shown while its fields are folded away. */
function roleSummary(training: RoleTraining | undefined): string {
  if (!training || Object.keys(training).length === 1) return 'not recorded';
  const parts = [
    training.staff !== undefined || training.trained !== undefined
      ? `${training.trained ?? '?'} of ${training.staff ?? '?'} trained`
      : 'training not recorded',
  ];
  if (training.sessionsPlanned !== undefined || training.sessionsDelivered !== undefined)
    parts.push(`sessions ${training.sessionsDelivered ?? 0} of ${training.sessionsPlanned ?? '?'} delivered`);
  if (training.proficient !== undefined) parts.push(`${training.proficient} proficient`);
  const superUsers = training.superUsers?.length ?? 0;
  parts.push(superUsers === 0 ? 'no super-user' : `${superUsers} super-user${superUsers === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function RoleRow({
  role,
  training,
  open,
  onToggle,
  onChange,
}: {
  role: string;
  training: RoleTraining | undefined;
  open: boolean;
  onToggle: () => void;
  onChange?: ((training: RoleTraining) => void) | undefined;
}) {
  const id = useId();
  const [texts, setTexts] = useState<Record<CountKey | 'superUsers', string>>(() => ({
    staff: training?.staff?.toString() ?? '',
    trained: training?.trained?.toString() ?? '',
    sessionsPlanned: training?.sessionsPlanned?.toString() ?? '',
    sessionsDelivered: training?.sessionsDelivered?.toString() ?? '',
    proficient: training?.proficient?.toString() ?? '',
    superUsers: (training?.superUsers ?? []).join(', '),
  }));
  const [problem, setProblem] = useState('');
  const change = (key: CountKey | 'superUsers', text: string) => {
    const next = { ...texts, [key]: text };
    setTexts(next);
    const counts: Partial<Record<CountKey, number>> = {};
    for (const field of COUNT_FIELDS) {
      const value = wholeNumber(next[field.key]);
      if (value === null) {
        setProblem(`${field.label(role)}: enter a whole number of 0 or more. Not saved yet.`);
        return;
      }
      if (value !== undefined) counts[field.key] = value;
    }
    if (counts.staff !== undefined && counts.trained !== undefined && counts.trained > counts.staff) {
      setProblem(`${role}: more staff trained than work in the role. Not saved yet.`);
      return;
    }
    if (counts.proficient !== undefined && counts.proficient > (counts.trained ?? 0)) {
      setProblem(`${role}: more staff passed the proficiency check than were trained. Not saved yet.`);
      return;
    }
    setProblem('');
    const superUsers = next.superUsers
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    onChange?.({ role, ...counts, ...(superUsers.length > 0 ? { superUsers } : {}) });
  };
  return (
    <li className="training-role">
      <h4>
        <button
          type="button"
          className="training-toggle"
          aria-expanded={open}
          aria-controls={`${id}-fields`}
          onClick={onToggle}
        >
          <span className="training-caret" aria-hidden="true" />
          <span className="training-role-name">{role}</span>{' '}
          <span className="training-summary">{roleSummary(training)}</span>
        </button>
      </h4>
      {open && (
        <div className="training-role-body" id={`${id}-fields`}>
          <div className="training-fields">
            {COUNT_FIELDS.map((field) => (
              <div className="number-field" key={field.key}>
                <label htmlFor={`${id}-${field.key}`}>{field.label(role)}</label>
                <input
                  autoComplete="off"
                  id={`${id}-${field.key}`}
                  inputMode="numeric"
                  value={texts[field.key]}
                  disabled={!onChange}
                  onChange={(e) => change(field.key, e.currentTarget.value)}
                />
              </div>
            ))}
            <div className="number-field training-superusers">
              <label htmlFor={`${id}-superUsers`}>Super-users of {role} (names, separated by commas)</label>
              <input
                id={`${id}-superUsers`}
                value={texts.superUsers}
                autoComplete="off"
                disabled={!onChange}
                onChange={(e) => change('superUsers', e.currentTarget.value)}
              />
            </div>
          </div>
          <p role="status" className={problem ? 'fail' : 'hint'}>
            {problem}
          </p>
        </div>
      )}
    </li>
  );
}

export function TrainingPanel({
  project,
  record,
  onChange,
}: {
  project: Project;
  record: TrainingRecord;
  /** saves the record in the project (absent: shown only) */
  onChange?: ((record: TrainingRecord) => void) | undefined;
}) {
  const id = useId();
  const roles = trainingRoles(project, record);
  // one role open at a time keeps the panel short with many roles; the first is open to start
  const [openRole, setOpenRole] = useState<string | null>(() => roles[0] ?? null);
  const [shift, setShift] = useState({ area: '', shift: '', supporters: '' });
  const [shiftProblem, setShiftProblem] = useState('');
  const putRole = (training: RoleTraining) =>
    onChange?.({
      ...record,
      roles: [...record.roles.filter((r) => r.role !== training.role), training],
    });
  const addShift = () => {
    const supporters = wholeNumber(shift.supporters);
    if (!shift.area.trim() || !shift.shift.trim() || supporters === undefined || supporters === null) {
      setShiftProblem('Enter the area, the shift and how many people support there (a whole number).');
      return;
    }
    const added: SupportShift = { area: shift.area.trim(), shift: shift.shift.trim(), supporters };
    onChange?.({
      ...record,
      support: [...record.support.filter((s) => s.area !== added.area || s.shift !== added.shift), added],
    });
    setShift({ area: '', shift: '', supporters: '' });
    setShiftProblem(`Added ${added.area}, ${added.shift}.`);
    document.getElementById(`${id}-area`)?.focus();
  };
  return (
    <section
      id="training-record"
      tabIndex={-1}
      className="card training"
      aria-labelledby={`${id}-title`}
      data-testid="training-record"
    >
      <h3 id={`${id}-title`}>Training and go-live support</h3>
      <p className="hint">
        What the clinic has done to prepare its people, judged against the clinic's gates once recorded. Names
        only: no patient data.
      </p>
      <ConflictBeside kind="readiness-record" id={PROJECT_TRAINING_RECORD_KEY} what="training record" />
      <h4>Training by role</h4>
      {roles.length > 1 && (
        <p className="hint">Open a role to record its training; one role is open at a time.</p>
      )}
      {roles.length === 0 ? (
        <p>No planned workflow names a role yet: add one on the Workflows screen.</p>
      ) : (
        <ul className="training-roles" aria-label="Training by role">
          {roles.map((role) => (
            <RoleRow
              key={role}
              role={role}
              training={record.roles.find((r) => r.role === role)}
              open={openRole === role}
              onToggle={() => setOpenRole(openRole === role ? null : role)}
              onChange={onChange ? putRole : undefined}
            />
          ))}
        </ul>
      )}
      <h4>At-the-elbow support in go-live week</h4>
      {record.support.length === 0 ? (
        <p>No support shift recorded yet.</p>
      ) : (
        <ul className="support-shifts" aria-label="Support shifts">
          {record.support.map((s) => (
            <li key={`${s.area}\u001f${s.shift}`}>
              {s.area}, {s.shift}: {s.supporters} {s.supporters === 1 ? 'supporter' : 'supporters'}{' '}
              {onChange && (
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${s.area}, ${s.shift}`}
                  onClick={() => {
                    onChange({ ...record, support: record.support.filter((x) => x !== s) });
                    document.getElementById(`${id}-area`)?.focus();
                  }}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {onChange && (
        <div className="training-fields">
          <div className="number-field">
            <label htmlFor={`${id}-area`}>Area</label>
            <input
              autoComplete="off"
              id={`${id}-area`}
              value={shift.area}
              onChange={(e) => setShift({ ...shift, area: e.currentTarget.value })}
            />
          </div>
          <div className="number-field">
            <label htmlFor={`${id}-shift`}>Shift</label>
            <input
              autoComplete="off"
              id={`${id}-shift`}
              value={shift.shift}
              onChange={(e) => setShift({ ...shift, shift: e.currentTarget.value })}
            />
          </div>
          <div className="number-field">
            <label htmlFor={`${id}-supporters`}>Supporters</label>
            <input
              autoComplete="off"
              id={`${id}-supporters`}
              inputMode="numeric"
              value={shift.supporters}
              onChange={(e) => setShift({ ...shift, supporters: e.currentTarget.value })}
            />
          </div>
          <button type="button" onClick={addShift}>
            Add the support shift
          </button>
        </div>
      )}
      <p role="status" data-testid="support-status">
        {shiftProblem}
      </p>
    </section>
  );
}
