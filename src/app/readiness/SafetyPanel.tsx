/**
 * The safety self-assessment by the eight 2025 SAFER guides (docs/product.md#readiness): each
 * guide with its state against its gate, and under it each practice with what "fully implemented"
 * means, the project's evidence about it (and the status it pre-fills, with why), and a form —
 * opened on demand, so 28 practices stay a page of headings — to rate it, name its owner
 * and where its evidence is, and add a note. A status that differs from the evidence's is an
 * override: it is saved only with the name of who set it and why. Saved in the project's
 * settings, so it survives a reload and travels with an export.
 */
import { useId, useState } from 'react';
import {
  type AssessedSaferGuide,
  type AssessedSafetyItem,
  EVIDENCE_GRADE_WORDS,
  evidenceGradeOf,
  SAFER_GUIDES,
  SAFER_LEVEL_WORDS,
  SAFETY_STATUS_WORDS,
  saferGuideCounts,
  saferLevelOf,
  safetyGateWords,
} from '../../core/readiness/index.ts';
import {
  EVIDENCE_GRADES,
  type EvidenceGrade,
  PROJECT_SAFETY_ASSESSMENT_KEY,
  SAFER_LEVELS,
  type SaferLevel,
  type SafetyAnswer,
  saferLevelOfStatus,
  statusOfSaferLevel,
} from '../../formats/steering.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';

/** A point of the five-point scale, or not applicable. */
type Choice = SaferLevel | 'na';

const capitalWords = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const CHOICES: readonly { value: Choice; label: string }[] = [
  ...SAFER_LEVELS.map((l) => ({ value: l, label: capitalWords(SAFER_LEVEL_WORDS[l]) })),
  { value: 'na', label: 'Not applicable' },
];

/** The three-level status a choice counts as at the gates. */
const statusOf = (c: Choice) => (c === 'na' ? 'na' : statusOfSaferLevel(c));

const capital = capitalWords;

interface Draft {
  level: Choice | '';
  grade: EvidenceGrade | '';
  owner: string;
  evidence: string;
  note: string;
  by: string;
  reason: string;
}

function draftOf(item: AssessedSafetyItem, assessor: string): Draft {
  const a = item.answer;
  return {
    level: (() => {
      const level = saferLevelOf(item);
      return level === 'unassessed' ? '' : level;
    })(),
    grade: a?.grade ?? '',
    owner: a?.owner ?? '',
    evidence: a?.evidence ?? '',
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
  // the form opens on demand: 28 practices stay a page of headings, ratings and evidence
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setMessage({ error: false, text: '' });
  };
  const evidenceStatus = item.evidence.status;
  // the evidence's status as a point of the scale (what the form starts at when no one rated it)
  const evidenceLevel: Choice | undefined =
    evidenceStatus === undefined
      ? undefined
      : evidenceStatus === 'na'
        ? 'na'
        : saferLevelOfStatus(evidenceStatus);
  const draftStatus = draft.level === '' ? '' : statusOf(draft.level);
  // an override is a rating the gates read differently from the evidence's
  const differs = draftStatus !== '' && evidenceStatus !== undefined && draftStatus !== evidenceStatus;
  const current = saferLevelOf(item);
  const levelChanged = draft.level !== (current === 'unassessed' ? '' : current);
  // the owner, the evidence and the note are kept as they are typed (a reload keeps them); the
  // status waits for Save, since it records who set it and, against the evidence, why
  const keep = (field: 'owner' | 'evidence' | 'note', value: string) => {
    set({ [field]: value });
    if (!onSave) return;
    const { owner: _o, evidence: _e, note: _n, ...rest } = item.answer ?? { item: item.id };
    const kept = {
      owner: field === 'owner' ? value : (item.answer?.owner ?? ''),
      evidence: field === 'evidence' ? value : (item.answer?.evidence ?? ''),
      note: field === 'note' ? value : (item.answer?.note ?? ''),
    };
    onSave({
      ...rest,
      item: item.id,
      ...(kept.owner.trim() ? { owner: kept.owner.trim() } : {}),
      ...(kept.evidence.trim() ? { evidence: kept.evidence.trim() } : {}),
      ...(kept.note.trim() ? { note: kept.note.trim() } : {}),
    });
  };
  const save = () => {
    if (!onSave) return;
    const by = draft.by.trim();
    const reason = draft.reason.trim();
    // a status a person sets (not the evidence's own) records who set it
    const personal =
      draft.level !== '' && (item.answer?.status !== undefined || draft.level !== evidenceLevel);
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
    if (draft.evidence.trim()) answer.evidence = draft.evidence.trim();
    if (draft.note.trim()) answer.note = draft.note.trim();
    if (draft.grade !== '') answer.grade = draft.grade;
    if (personal && draft.level !== '') {
      answer.status = statusOf(draft.level);
      if (draft.level !== 'na') answer.level = draft.level;
      answer.by = by;
      answer.at = levelChanged || !item.answer?.at ? now() : item.answer.at;
      if (differs) answer.reason = reason;
    }
    onSave(answer);
    setMessage({ error: false, text: `${item.title} recorded: the go/no-go is updated.` });
  };
  const status = SAFETY_STATUS_WORDS[item.status];
  const level = saferLevelOf(item);
  const grade = evidenceGradeOf(item);
  return (
    <li className={`card safety-item safety-${item.status}`} aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h5 id={`${id}-title`}>{item.title}</h5>
        <span className={`badge safety-badge-${item.status}`}>{capital(status)}</span>
      </div>
      <p className="safety-asks">{item.asks}</p>
      <p className="safety-level" data-testid={`safety-level-${item.id}`}>
        {level === 'na' || level === 'unassessed'
          ? capital(SAFETY_STATUS_WORDS[level])
          : capital(SAFER_LEVEL_WORDS[level])}
        {' · evidence: '}
        {grade ? EVIDENCE_GRADE_WORDS[grade] : 'not graded'}
      </p>
      {item.evidence.lines.length > 0 && (
        <div className="safety-evidence">
          <p>
            <strong>
              {evidenceStatus
                ? `Pre-filled from the project's evidence: ${SAFETY_STATUS_WORDS[evidenceStatus]}, because`
                : "From the project's evidence (it does not decide this practice)"}
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
        <>
          <p className="safety-form-fold">
            <button
              type="button"
              className="link-button"
              aria-expanded={open}
              aria-controls={`${id}-form`}
              onClick={() => setOpen((o) => !o)}
            >
              Rate {item.title}
            </button>
            {item.answer?.owner ? ` · owner: ${item.answer.owner}` : ''}
            {item.answer?.evidence ? ` · evidence: ${item.answer.evidence}` : ''}
            {item.answer?.note ? ` · ${item.answer.note}` : ''}
          </p>
          {open && (
            <div className="safety-form" id={`${id}-form`}>
              <fieldset>
                <legend>{item.title}: how far is it implemented?</legend>
                {CHOICES.map((c) => (
                  <label key={c.value} className="radio">
                    <input
                      type="radio"
                      name={`${id}-status`}
                      value={c.value}
                      checked={draft.level === c.value}
                      onChange={() => set({ level: c.value })}
                    />{' '}
                    {c.label}
                  </label>
                ))}
              </fieldset>
              <label htmlFor={`${id}-grade`}>Evidence grade for {item.title}</label>
              <select
                id={`${id}-grade`}
                value={draft.grade}
                onChange={(e) => set({ grade: e.currentTarget.value as EvidenceGrade | '' })}
              >
                <option value="">Not graded</option>
                {EVIDENCE_GRADES.map((g) => (
                  <option key={g} value={g}>
                    {capital(EVIDENCE_GRADE_WORDS[g])}
                  </option>
                ))}
              </select>
              <label htmlFor={`${id}-owner`}>Owner of {item.title}</label>
              <input
                id={`${id}-owner`}
                value={draft.owner}
                autoComplete="off"
                onChange={(e) => keep('owner', e.currentTarget.value)}
              />
              <label htmlFor={`${id}-evidence`}>Where the evidence for {item.title} is kept</label>
              <input
                id={`${id}-evidence`}
                value={draft.evidence}
                autoComplete="off"
                placeholder="A policy, a test script, a ticket"
                onChange={(e) => keep('evidence', e.currentTarget.value)}
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
          )}
        </>
      ) : (
        <p>
          Owner: {item.answer?.owner || 'not named'}
          {item.answer?.evidence ? ` · evidence: ${item.answer.evidence}` : ''}
          {item.answer?.note ? ` · ${item.answer.note}` : ''}
        </p>
      )}
    </li>
  );
}

const GUIDE_STATE_WORDS: Record<AssessedSaferGuide['state'], string> = {
  met: 'Meets its gate',
  below: 'Below its gate',
  off: 'Informs only',
};

/** The self-assessment, guide by guide. Without `onSave` it is shown only. */
export function SafetyPanel({
  items,
  guides,
  assessor,
  now,
  onSave,
}: {
  items: readonly AssessedSafetyItem[];
  /** each guide against its gate (the result's `safetyGuides`) */
  guides: readonly AssessedSaferGuide[];
  /** the name to fill in as the assessor (the last signer remembered on this project) */
  assessor: string;
  now: () => string;
  onSave?: (answer: SafetyAnswer) => void;
}) {
  const judged = new Map(guides.map((g) => [g.id, g]));
  return (
    <section className="safety" aria-labelledby="safety-title">
      <h3 id="safety-title" tabIndex={-1}>
        Safety self-assessment
      </h3>
      <p>
        By the eight SAFER guides of 2025 (ONC): for each guide, a few of its practices that a clinic going
        live can show or attest, in Preflight's words — not the guides' full text. Rate each on the guides'
        five-point scale (fully in place in all areas, fully in some, partially in all, partially in some, not
        implemented) or as not applicable, grade the evidence, name its owner and where its evidence is kept.
        Only "fully in place in all areas" counts as fully implemented at the gates. A rating saved before the
        scale reads as the point it was: fully as all areas, partially as some areas. Where the project holds
        evidence, the practice is pre-filled and says why; you can set another rating, with your name and why.
      </p>
      <ConflictBeside
        kind="readiness-record"
        id={PROJECT_SAFETY_ASSESSMENT_KEY}
        what="safety self-assessment"
      />
      <ol className="safer-guides" aria-label="SAFER guides">
        {SAFER_GUIDES.map((guide) => {
          const state = judged.get(guide.id);
          const practices = items.filter((i) => i.guide === guide.id);
          return (
            <li key={guide.id} className="safer-guide" aria-labelledby={`safer-${guide.id}`}>
              <div className="safer-guide-header">
                <h4 id={`safer-${guide.id}`}>{guide.title}</h4>
                {state && (
                  <span
                    className={`badge safer-state-${state.state}`}
                    data-testid={`safer-state-${guide.id}`}
                  >
                    {GUIDE_STATE_WORDS[state.state]}
                  </span>
                )}
              </div>
              <p className="safety-asks">
                {guide.about}
                {state ? ` ${capital(saferGuideCounts(state))}; gate: ${safetyGateWords(state.gate)}.` : ''}
              </p>
              <ol className="safety-items" aria-label={`${guide.title} practices`}>
                {practices.map((item) => (
                  // a new status from the evidence (the rollback plan edited on the same tab, say) starts the form
                  // afresh, so the status it shows follows the evidence rather than the one it was opened with
                  <SafetyItemForm
                    key={`${item.id}:${item.evidence.status ?? ''}`}
                    item={item}
                    assessor={assessor}
                    now={now}
                    onSave={onSave}
                  />
                ))}
              </ol>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
