/**
 * The adjudication queue (docs/product.md#sign-off): records the two reviewers disagree on
 * (decision or defect class) and records marked "cannot assess", each shown with both decisions. An
 * adjudicator — not one of the record's reviewers — accepts or rejects it, or adopts one reviewer's
 * decision; that decision is final. It is a `review/decide` change with stage `adjudication`,
 * committed like every decision (strict durability, its own audit entry): "Saved" shows only once
 * stored. A review decided on the team server shows its queue only, with where it is ruled on
 * instead of the adjudicator's typed name and the ruling buttons.
 */
import { type ReactNode, useId, useMemo, useState } from 'react';
import {
  adjudicationQueue,
  adjudicationShownHash,
  decisionIdentifierProblem,
  decisionRefusal,
  type IdentifyingValue,
  type RecordStatus,
} from '../../core/signoff/review/index.ts';
import { rosterInUse, rosterState } from '../../core/signoff/signing/index.ts';
import type { Decision, Finding, Review, Reviewer } from '../../formats/review.ts';
import type { Roster } from '../../formats/roster.ts';
import { formatCount } from '../common/format.ts';
import { PersonFields } from './PersonFields.tsx';
import type { ReviewActions } from './reviewActions.ts';

const OUTCOME_WORDS = { accept: 'accepted', reject: 'rejected', 'cannot-assess': 'cannot assess' } as const;

/** "rejected: birthDate (wrong value, major)" — what a reviewer decided, in words. */
function describeDecision(decision: Decision): string {
  const findings = decision.findings.map(
    (f) => `${f.field} (${f.reason.replace('-', ' ')}, ${f.defectClass})`,
  );
  return `${OUTCOME_WORDS[decision.outcome]}${findings.length ? `: ${findings.join('; ')}` : ''}`;
}

type Ruling = 'accept' | 'reject' | 'first' | 'second';

export function AdjudicationPanel({
  review,
  actions,
  onShow,
  roster,
  identifying,
  decidedElsewhere,
}: {
  review: Review;
  actions?: ReviewActions;
  /** shows the record in the review above (when its file is open), so the adjudicator can look at it */
  onShow?: (stratum: string, recordKey: string) => void;
  /** the project's roster: with one, the adjudicator is chosen from it */
  roster?: Roster;
  /** the identifying values of a record when its file is open (without: its record key alone) */
  identifying?: (stratum: string, recordKey: string) => readonly IdentifyingValue[] | undefined;
  /**
   * set: the records are ruled on elsewhere (the team server), said by this node (null: nothing
   * said yet); the queue is shown without the adjudicator's fields or a ruling button
   */
  decidedElsewhere?: ReactNode;
}) {
  const queue = useMemo(() => adjudicationQueue(review), [review]);
  // with a roster, the adjudicator is a person on it with the adjudicator role, chosen, not typed
  const adjudicators = useMemo(() => {
    if (!rosterInUse(roster)) return undefined;
    return [...rosterState(roster).members.values()].filter((m) => m.roles.includes('adjudicator'));
  }, [roster]);
  const [adjudicator, setAdjudicator] = useState<Reviewer>({ name: '', role: '', id: '' });
  const [status, setStatus] = useState('');
  const [comment, setComment] = useState('');
  const ids = { name: useId(), role: useId(), staff: useId(), comment: useId(), hint: useId() };
  if (queue.length === 0 && !status) return null;
  const rulesHere = decidedElsewhere === undefined;
  const ready =
    adjudicator.name.trim() !== '' && adjudicator.role.trim() !== '' && adjudicator.id.trim() !== '';

  const rule = async (record: RecordStatus, ruling: Ruling, index: number) => {
    if (!actions || !rulesHere) return;
    if (!ready) {
      setStatus(
        adjudicators
          ? 'Choose who is adjudicating from the roster first.'
          : 'Enter your name, role and staff id before adjudicating.',
      );
      return;
    }
    const adopted = ruling === 'first' ? record.first : ruling === 'second' ? record.second : undefined;
    const outcome = adopted ? adopted.outcome : ruling === 'accept' ? 'accept' : 'reject';
    const findings: Finding[] = adopted
      ? adopted.findings.map((f) => ({ ...f }))
      : ruling === 'reject'
        ? [...(record.first?.findings ?? []), ...(record.second?.findings ?? [])].filter(
            (f, i, all) => all.findIndex((g) => g.field === f.field) === i,
          )
        : [];
    const source = record.first ?? record.second;
    const decision: Decision = {
      id: actions.newId(),
      planHash: review.plan.hash,
      stratum: record.stratum,
      recordKey: record.recordKey,
      ...(source?.row === undefined ? {} : { row: source.row }),
      ...(source?.file === undefined ? {} : { file: source.file }),
      reviewer: { name: adjudicator.name.trim(), role: adjudicator.role.trim(), id: adjudicator.id.trim() },
      decidedAt: actions.now(),
      outcome: outcome === 'cannot-assess' ? 'reject' : outcome,
      findings,
      stage: 'adjudication',
      ...(ruling === 'first' || ruling === 'second'
        ? {
            comment: `Adopted the ${ruling} reviewer's decision${comment.trim() ? `: ${comment.trim()}` : ''}`,
          }
        : comment.trim()
          ? { comment: comment.trim() }
          : {}),
      shownSha256: adjudicationShownHash(review.plan.hash, record),
    };
    // the rules the project applies (a rejection says why), in plain words before saving
    // with a roster the person chosen is named (without one, the rule below says it by staff id)
    const reviewedIt = [record.first, record.second].some((d) => d?.reviewer.id === decision.reviewer.id);
    if (adjudicators && reviewedIt) {
      setStatus(
        `Not saved: ${decision.reviewer.name} reviewed this record, and no one adjudicates a record they reviewed. Another adjudicator on the roster decides it.`,
      );
      return;
    }
    // the comment must not identify the patient: the audit trail and results hold no record content
    const identifies = decisionIdentifierProblem(decision, identifying?.(record.stratum, record.recordKey));
    if (identifies) {
      setStatus(`Not saved: ${identifies.message.replace(/^The comment/, "The adjudicator's comment")}`);
      return;
    }
    const refusal = decisionRefusal(review, decision);
    if (refusal) {
      setStatus(`Not saved: ${refusal}`);
      return;
    }
    setStatus(`Saving the adjudication of record ${index + 1}…`);
    try {
      await actions.commit({ type: 'review/decide', reviewId: review.id, decision });
      setComment('');
      setStatus(
        `Saved: adjudication of ${record.stratum} record ${record.recordKey} (${describeDecision(decision)}).`,
      );
    } catch (error) {
      setStatus(`Not saved: ${(error as Error).message}`);
    }
  };

  if (queue.length === 0) {
    return (
      <section className="adjudication" aria-label="Adjudication">
        <h5>Adjudication: no records waiting</h5>
        <p role="status" data-testid="adjudication-status">
          {status}
        </p>
      </section>
    );
  }
  return (
    <section className="adjudication" aria-label="Adjudication">
      <h5>
        Adjudication: {formatCount(queue.length)} {queue.length === 1 ? 'record' : 'records'} waiting
      </h5>
      <p>
        The two reviewers disagree on these records, or could not assess them. Until an adjudicator decides,
        each counts as an error at its worse decision. The adjudicator must not be one of the record's
        reviewers; the adjudication is final.
      </p>
      {!rulesHere ? (
        decidedElsewhere
      ) : (
        <fieldset className="reviewer">
          <legend>Adjudicator</legend>
          {adjudicators ? (
            <>
              <label htmlFor={ids.staff}>Who is adjudicating (from the roster)</label>
              <select
                id={ids.staff}
                value={adjudicator.id}
                onChange={(e) => {
                  const member = adjudicators.find((m) => m.staffId === e.currentTarget.value);
                  setAdjudicator(
                    member
                      ? { name: member.name, role: member.title, id: member.staffId }
                      : { name: '', role: '', id: '' },
                  );
                }}
              >
                <option value="">Choose…</option>
                {adjudicators.map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}, {m.title} ({m.staffId})
                  </option>
                ))}
              </select>
            </>
          ) : (
            <PersonFields part="Adjudicator" person={adjudicator} onChange={setAdjudicator} ids={ids} />
          )}
          <label htmlFor={ids.comment}>
            Adjudicator's comment (saved with the next ruling; a rejection with no field marked needs one)
          </label>
          <p className="field-hint" id={ids.hint}>
            Refer to the record as "the record" and to fields by name: a comment that quotes the record's key
            (MRN), a name, birth date, phone, address or another identifier is not saved.
          </p>
          <input
            id={ids.comment}
            aria-describedby={ids.hint}
            value={comment}
            autoComplete="off"
            onChange={(e) => setComment(e.currentTarget.value)}
          />
        </fieldset>
      )}
      {queue.length > 0 && (
        <ol className="adjudication-queue">
          {queue.map((record, index) => (
            <li key={`${record.stratum}\u001f${record.recordKey}`}>
              <p>
                Stratum {record.stratum} · key <code>{record.recordKey}</code>
                {record.first?.row === undefined ? '' : ` · row ${formatCount(record.first.row)}`}
              </p>
              <ul>
                {record.first && (
                  <li>
                    First reviewer ({record.first.reviewer.name}): {describeDecision(record.first)}
                  </li>
                )}
                {record.second && (
                  <li>
                    Second reviewer ({record.second.reviewer.name}): {describeDecision(record.second)}
                  </li>
                )}
              </ul>
              <div className="decide-buttons">
                {rulesHere && record.first && record.first.outcome !== 'cannot-assess' && record.second && (
                  <button type="button" onClick={() => void rule(record, 'first', index)}>
                    Adopt the first reviewer's decision for {record.recordKey}
                  </button>
                )}
                {rulesHere && record.second && record.second.outcome !== 'cannot-assess' && (
                  <button type="button" onClick={() => void rule(record, 'second', index)}>
                    Adopt the second reviewer's decision for {record.recordKey}
                  </button>
                )}
                {onShow && (
                  <button type="button" onClick={() => onShow(record.stratum, record.recordKey)}>
                    Show record {record.recordKey} above
                  </button>
                )}
                {rulesHere && (
                  <>
                    <button type="button" onClick={() => void rule(record, 'accept', index)}>
                      Accept {record.recordKey}
                    </button>
                    <button type="button" onClick={() => void rule(record, 'reject', index)}>
                      Reject {record.recordKey}
                    </button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      <p role="status" data-testid="adjudication-status">
        {status}
      </p>
    </section>
  );
}
