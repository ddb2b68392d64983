/**
 * The safety self-assessment (docs/product.md#readiness): each item with what "fully in place"
 * means, the project's evidence about it (and the status it pre-fills), and a form to set how far
 * it is in place, its owner and a note. A status that differs from the evidence's is an override:
 * it is saved only with the name of who set it and why. Saved in the project's settings, so it
 * survives a reload and travels with an export.
 */
import { useId, useState } from 'react';
import { type AssessedSafetyItem, SAFETY_STATUS_WORDS } from '../../core/readiness/index.ts';
import type { SafetyAnswer, SafetyStatus } from '../../formats/steering.ts';

const CHOICES: readonly { value: SafetyStatus | ''; label: string }[] = [
  { value: 'full', label: 'Fully in place' },
  { value: 'partial', label: 'Partially in place' },
  { value: 'none', label: 'Not in place' },
];

interface Draft {
  status: SafetyStatus | '';
  owner: string;
  note: string;
  by: string;
  reason: string;
}

function draftOf(item: AssessedSafetyItem, assessor: string): Draft {
  const a = item.answer;
  return {
    status: a?.status ?? item.evidence.status ?? '',
    owner: a?.owner ?? '',
    note: a?.note ?? '',
    by: a?.by ?? assessor,
    reason: a?.reason ?? '',
  };
}

function SafetyItemForm({
  item,
  assessor,
  now,
  onSave,
}: {
  item: AssessedSafetyItem;
  assessor: string;
  now: () => string;
  onSave?: (answer: SafetyAnswer) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(item, assessor));
  const [message, setMessage] = useState<{ error: boolean; text: string }>({ error: false, text: '' });
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setMessage({ error: false, text: '' });
  };
  const evidenceStatus = item.evidence.status;
  const differs = draft.status !== '' && evidenceStatus !== undefined && draft.status !== evidenceStatus;
  const statusChanged = draft.status !== (item.answer?.status ?? evidenceStatus ?? '');
  // the owner and the note are kept as they are typed (a reload keeps them); the status waits
  // for Save, since it records who set it and, against the evidence, why
  const keep = (field: 'owner' | 'note', value: string) => {
    set({ [field]: value });
    if (!onSave) return;
    const { owner: _o, note: _n, ...rest } = item.answer ?? { item: item.id };
    const kept = {
      owner: field === 'owner' ? value : (item.answer?.owner ?? ''),
      note: field === 'note' ? value : (item.answer?.note ?? ''),
    };
    onSave({
      ...rest,
      item: item.id,
      ...(kept.owner.trim() ? { owner: kept.owner.trim() } : {}),
      ...(kept.note.trim() ? { note: kept.note.trim() } : {}),
    });
  };
  const save = () => {
    if (!onSave) return;
    const by = draft.by.trim();
    const reason = draft.reason.trim();
    // a status a person sets (not the evidence's own) records who set it
    const personal =
      draft.status !== '' && (item.answer?.status !== undefined || draft.status !== evidenceStatus);
    if (personal && !by) {
      setMessage({ error: true, text: 'Enter your name: a status you set records who set it.' });
      return;
    }
    if (differs && !reason) {
      setMessage({
        error: true,
        text: `The evidence says ${SAFETY_STATUS_WORDS[evidenceStatus ?? 'none']}: say why you differ before saving.`,
      });
      return;
    }
    const answer: SafetyAnswer = { item: item.id };
    if (draft.owner.trim()) answer.owner = draft.owner.trim();
    if (draft.note.trim()) answer.note = draft.note.trim();
    if (personal && draft.status !== '') {
      answer.status = draft.status;
      answer.by = by;
      answer.at = statusChanged || !item.answer?.at ? now() : item.answer.at;
      if (differs) answer.reason = reason;
    }
    onSave(answer);
    setMessage({ error: false, text: `${item.title} recorded: the go/no-go is updated.` });
  };
  const status = SAFETY_STATUS_WORDS[item.status];
  return (
    <li className={`card safety-item safety-${item.status}`} aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h4 id={`${id}-title`}>{item.title}</h4>
        <span className={`badge safety-badge-${item.status}`}>
          {status[0]?.toUpperCase() + status.slice(1)}
        </span>
      </div>
      <p className="safety-asks">{item.asks}</p>
      {item.evidence.lines.length > 0 && (
        <div className="safety-evidence">
          <p>
            <strong>
              {evidenceStatus
                ? `From the project's evidence: ${SAFETY_STATUS_WORDS[evidenceStatus]}`
                : "From the project's evidence (it does not decide this item)"}
            </strong>
          </p>
          <ul aria-label={`${item.title} evidence`}>
            {item.evidence.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {item.overridden && item.answer && (
        <p className="safety-override" data-testid="safety-override">
          Set to {SAFETY_STATUS_WORDS[item.status]} by {item.answer.by}, against the evidence: “
          {item.answer.reason}”
        </p>
      )}
      {onSave ? (
        <div className="safety-form">
          <fieldset>
            <legend>{item.title}: how far is it in place?</legend>
            {CHOICES.map((c) => (
              <label key={c.value} className="radio">
                <input
                  type="radio"
                  name={`${id}-status`}
                  value={c.value}
                  checked={draft.status === c.value}
                  onChange={() => set({ status: c.value })}
                />{' '}
                {c.label}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-owner`}>Owner of {item.title}</label>
          <input
            id={`${id}-owner`}
            value={draft.owner}
            autoComplete="off"
            onChange={(e) => keep('owner', e.currentTarget.value)}
          />
          <label htmlFor={`${id}-note`}>Note on {item.title}</label>
          <textarea
            autoComplete="off"
            id={`${id}-note`}
            rows={2}
            value={draft.note}
            onChange={(e) => keep('note', e.currentTarget.value)}
          />
          <label htmlFor={`${id}-by`}>Assessed by (your name)</label>
          <input
            id={`${id}-by`}
            value={draft.by}
            autoComplete="off"
            onChange={(e) => set({ by: e.currentTarget.value })}
          />
          {differs && (
            <>
              <label htmlFor={`${id}-reason`}>Why {item.title} differs from the evidence</label>
              <textarea
                autoComplete="off"
                id={`${id}-reason`}
                rows={2}
                value={draft.reason}
                onChange={(e) => set({ reason: e.currentTarget.value })}
              />
            </>
          )}
          <button type="button" onClick={save}>
            Save {item.title}
          </button>
          <p role="status" className={message.error ? 'fail' : undefined}>
            {message.text}
          </p>
        </div>
      ) : (
        <p>
          Owner: {item.answer?.owner || 'not named'}
          {item.answer?.note ? ` · ${item.answer.note}` : ''}
        </p>
      )}
    </li>
  );
}

/** The self-assessment, item by item. Without `onSave` it is shown only. */
export function SafetyPanel({
  items,
  assessor,
  now,
  onSave,
}: {
  items: readonly AssessedSafetyItem[];
  /** the name to fill in as the assessor (the last signer remembered on this project) */
  assessor: string;
  now: () => string;
  onSave?: (answer: SafetyAnswer) => void;
}) {
  return (
    <section className="safety" aria-labelledby="safety-title">
      <h3 id="safety-title" tabIndex={-1}>
        Safety self-assessment
      </h3>
      <p>
        The practices a safe go-live depends on, in the form of the ONC SAFER guides: for each, how far it is
        in place, who owns it, and a note. Where the project holds evidence, the item is pre-filled from it;
        you can set another status, with your name and why.
      </p>
      <ol className="safety-items" aria-label="Safety items">
        {items.map((item) => (
          // a new status from the evidence (the rollback plan edited on the same tab, say) starts the form afresh,
          // so the status it shows follows the evidence rather than the one it was opened with
          <SafetyItemForm
            key={`${item.id}:${item.evidence.status ?? ''}`}
            item={item}
            assessor={assessor}
            now={now}
            onSave={onSave}
          />
        ))}
      </ol>
    </section>
  );
}
