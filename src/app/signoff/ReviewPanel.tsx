/**
 * The clinician review of one locked plan (docs/product.md#sign-off): draw the sample from the
 * files the plan was locked with (`DrawSample.tsx`), then verify one record at a time — each legacy
 * field aligned with what the mapping made of it and classed (`AlignedRecord.tsx`), the record list
 * beside it (`RecordList.tsx`) — keyboard first. Where the reviewer is lives in
 * `useReviewNavigation.ts`, the records as shown in `useShownRecords.ts`, the decision form in the
 * `reviewForm.ts` store. Each decision is a `review/decide` change committed with `session.commit`:
 * "Saved" shows only once its strict-durability transaction (which also appends its audit entry)
 * completed. Record content is read from the user's file on demand and kept only in this screen's
 * memory; the project stores keys, row numbers and hashes.
 */
import { type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { verifyAuditChain } from '../../core/signoff/auditChain.ts';
import { decisionIdentifierProblem, identifyingValues } from '../../core/signoff/commentIdentifiers.ts';
import { decisionToChange } from '../../core/signoff/decisionRules.ts';
import { recordCounts } from '../../core/signoff/dualReview.ts';
import { planHash } from '../../core/signoff/planLock.ts';
import { decisionRefusal, recordId, shownHash } from '../../core/signoff/review.ts';
import { readSignoffSettings, rememberReviewer } from '../../core/signoff/signoffSettings.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision, Outcome, Review, Reviewer } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { downloadText } from '../common/download.ts';
import { asSentence, formatCount } from '../common/format.ts';
import { AdjudicationPanel } from './AdjudicationPanel.tsx';
import { AlignedRecord, markableFields } from './AlignedRecord.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { DrawSample } from './DrawSample.tsx';
import { ErrorCharts } from './ErrorCharts.tsx';
import { FlaggedReasons } from './FlaggedReasons.tsx';
import { RecordList } from './RecordList.tsx';
import { DualReviewStage, ReviewerFields } from './ReviewerFields.tsx';
import { LeadPacketTools, ReviewerResultsExport, reviewOfOpenPacket } from './ReviewPackets.tsx';
import type { ReviewActions } from './reviewActions.ts';
import { createReviewForm, useReviewForm } from './reviewForm.ts';
import { OUTCOME_LABELS, REASON_LABELS } from './reviewLabels.ts';
import { SignoffExports } from './SignoffExports.tsx';
import { SignPanel } from './SignPanel.tsx';
import { savedSignoff } from './savedSignoff.ts';
import { useReviewNavigation } from './useReviewNavigation.ts';
import { useShownRecords } from './useShownRecords.ts';
import { VerdictTable } from './VerdictTable.tsx';

/** A single-letter shortcut per action, shown on screen. */
const SHORTCUTS = {
  accept: 'a',
  reject: 'r',
  cannotAssess: 'c',
  next: 'n',
  previous: 'p',
  mark: 'm',
  list: 'l',
} as const;

/** The record key's column of a mapping (its first, for a composite key). */
export function keyColumnOf(mappingKey: string | string[] | undefined): string | undefined {
  return typeof mappingKey === 'string' ? mappingKey : mappingKey?.[0];
}

export function ReviewPanel({
  plan,
  project,
  actions,
  packet,
}: {
  plan: SamplePlan;
  project: Project;
  actions?: ReviewActions;
  /** a review packet opened on this computer (the clinician's side) */
  packet?: ReviewPacket;
}) {
  const hash = useMemo(() => planHash(plan), [plan]);
  const review = project.reviews?.find((r) => r.plan.hash === hash);
  const openPacket = packet && review && reviewOfOpenPacket(project, packet) === review ? packet : undefined;
  const mapping = project.mappings.find((m) => m.source === plan.population.dataset);
  return (
    <section className="review-panel" aria-label={`Review of ${plan.name}`}>
      <h4>Clinician review</h4>
      {review ? (
        <RecordReview review={review} plan={plan} project={project} actions={actions} packet={openPacket} />
      ) : (
        <DrawSample
          plan={plan}
          hash={hash}
          mappingKey={keyColumnOf(mapping?.key)}
          project={project}
          actions={actions}
        />
      )}
    </section>
  );
}

// ---- reviewing -------------------------------------------------------------------------------

function RecordReview({
  review,
  plan,
  project,
  actions,
  packet,
}: {
  review: Review;
  plan: SamplePlan;
  project: Project;
  actions?: ReviewActions;
  packet?: ReviewPacket;
}) {
  const nav = useReviewNavigation(review, plan);
  const { records, assigned, stage, index, entry, decided } = nav;
  const mapping = project.mappings.find((m) => m.id === review.mapping?.id) ?? undefined;
  // the reviewer last named on this project (settings.signoff), so a reload does not ask again
  const [reviewer, setReviewer] = useState<Reviewer>(
    () => readSignoffSettings(project.meta.settings).reviewer ?? { name: '', role: '', id: '' },
  );
  const [form] = useState(createReviewForm);
  const findings = useReviewForm(form, (s) => s.findings);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [audit, setAudit] = useState<string>('');
  const markFieldRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const listRef = useRef<HTMLElement>(null);
  const changeRef = useRef<HTMLTextAreaElement>(null);
  const regionRef = useRef<HTMLElement>(null);
  const ids = { file: useId() };

  // the reviewer's own progress, counted where every other count is (recordCounts)
  const decidedCount = useMemo(() => recordCounts(review).total.byStage[stage], [review, stage]);
  // each record opens its own form: the reviewer's decision on it when revisited, else empty
  const openedId = entry ? `${stage}\u001f${recordId(entry.stratum, entry.record.key)}` : '';
  const decidedRef = useRef<Decision | undefined>(decided);
  decidedRef.current = decided;
  useEffect(() => {
    if (openedId) form.open(decidedRef.current);
  }, [form, openedId]);
  const { ready, fromFile, view, allShown, openFiles, fileStatus } = useShownRecords({
    review,
    records,
    entry,
    mapping,
    packet,
  });
  const fields = useMemo(() => markableFields(view), [view]);
  const checkAudit = useCallback(async () => {
    if (!actions) return;
    const entries = await actions.auditLog();
    const result = verifyAuditChain(entries, project.reviews, {
      steering: readSteeringDecisions(project.meta.settings),
    });
    setAudit(
      result.ok
        ? `Audit log: ${formatCount(result.entries)} entries, chain intact (head ${result.head.slice(0, 12)}…).`
        : asSentence(`Audit log broken at entry ${result.entry}: ${result.message}`),
    );
  }, [actions, project.reviews, project.meta.settings]);
  useEffect(() => {
    if (pending.size === 0) void checkAudit();
  }, [checkAudit, pending]);

  // the records are on screen: the review region takes the keyboard
  useEffect(() => {
    if (ready) regionRef.current?.focus();
  }, [ready]);

  // made from the project and chain as stored, once the pending save landed (savedSignoff.ts)
  const [auditExport, setAuditExport] = useState<'idle' | 'saving' | string>('idle');
  const exportAudit = async () => {
    if (!actions || auditExport === 'saving') return;
    setAuditExport('saving');
    try {
      const saved = await savedSignoff(actions, project);
      const file = createAuditLogFile({
        projectId: actions.projectId,
        exportedAt: actions.now(),
        entries: saved.entries,
        reviews: saved.project.reviews ?? [],
        ...(saved.project.meta.roster ? { roster: saved.project.meta.roster } : {}),
      });
      downloadText(`audit-log-${review.plan.id}.json`, `${JSON.stringify(file, null, 2)}\n`);
      setAuditExport('idle');
    } catch (error) {
      setAuditExport(asSentence(`The audit log was not exported: ${(error as Error).message}`));
    }
  };

  const reviewerReady =
    reviewer.name.trim() !== '' && reviewer.role.trim() !== '' && reviewer.id.trim() !== '';
  // each move opens the record at its top, with the keyboard on it
  const opened = (keepStatus = false) => {
    if (!keepStatus) form.set({ status: '' });
    regionRef.current?.scrollIntoView({ block: 'start' });
    regionRef.current?.focus();
  };
  const go = (delta: number) => {
    nav.go(delta);
    opened();
  };
  const goTo = (at: number, keepStatus = false) => {
    nav.goTo(at);
    opened(keepStatus);
  };
  const goUnreviewed = (direction: 1 | -1) => {
    if (nav.goUnreviewed(direction)) opened();
    else form.set({ status: 'Every other record of the sample is reviewed.' });
  };
  // to the record list (below the record on a tablet or phone), on the record in view
  const toList = () => {
    const list = listRef.current;
    list?.scrollIntoView({ block: 'start' });
    (list?.querySelector<HTMLElement>('[aria-current="true"]') ?? list?.querySelector('select'))?.focus();
  };
  const markRow = (field: string) => {
    form.set({ markField: field, status: '' });
    reasonRef.current?.focus();
  };
  const decide = async (outcome: Outcome) => {
    if (!actions || !entry || !view) return;
    if (!reviewerReady) {
      form.set({ status: 'Enter your name, role and staff id before deciding.' });
      return;
    }
    const { findings, comment, changeReason } = form.get();
    const staged = review.dualReview ? { stage } : {};
    const earlier = decisionToChange(review, {
      stratum: entry.stratum,
      recordKey: entry.record.key,
      ...staged,
    });
    const decision: Decision = {
      id: actions.newId(),
      planHash: review.plan.hash,
      stratum: entry.stratum,
      recordKey: entry.record.key,
      row: entry.record.row,
      ...(entry.record.file === undefined ? {} : { file: entry.record.file }),
      reviewer: { name: reviewer.name.trim(), role: reviewer.role.trim(), id: reviewer.id.trim() },
      decidedAt: actions.now(),
      outcome,
      findings: [...findings],
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...staged,
      ...(earlier
        ? {
            change: {
              replaces: earlier.id,
              previousOutcome: earlier.outcome,
              reason: changeReason.trim(),
            },
          }
        : {}),
      ...(view.shown.mapping ? { mapping: view.shown.mapping } : {}),
      shownSha256: shownHash(view.shown),
    };
    // free text must not identify the patient: results files and the audit chain hold no record content
    const identifies = decisionIdentifierProblem(decision, identifyingValues(view.shown));
    if (identifies) {
      form.set({ status: `Not saved: ${identifies.message}` });
      return;
    }
    // the rules the project applies, checked first so the reviewer reads them in plain words
    const refusal = decisionRefusal(review, decision);
    if (refusal) {
      form.set({ status: `Not saved: ${refusal}` });
      if (earlier && !changeReason.trim()) changeRef.current?.focus();
      return;
    }
    setPending((p) => new Set([...p, decision.id]));
    const remember = rememberReviewer(project.meta.settings, reviewer);
    if (remember) void actions.commit(remember).catch(() => undefined); // best effort: the decision names the reviewer anyway
    form.set({ status: `Saving: ${OUTCOME_LABELS[outcome]}…` });
    const at = index;
    try {
      await actions.commit({ type: 'review/decide', reviewId: review.id, decision });
      form.set({
        status: `Saved: record ${at + 1} ${OUTCOME_LABELS[outcome].toLowerCase()}${earlier ? ` (changed from ${OUTCOME_LABELS[earlier.outcome].toLowerCase()})` : ''}.`,
      });
      // the save line stays: "Saved: record 3 accepted." is read while record 4 opens
      if (at < records.length - 1) goTo(at + 1, true);
    } catch (error) {
      form.set({ status: `Not saved: ${(error as Error).message}` });
    } finally {
      setPending((p) => new Set([...p].filter((id) => id !== decision.id)));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
      if (event.key === 'Escape') regionRef.current?.focus();
      return;
    }
    const key = event.key.toLowerCase();
    if (key === 'u') {
      event.preventDefault();
      goUnreviewed(event.shiftKey ? -1 : 1);
      return;
    }
    const act: Record<string, () => void> = {
      [SHORTCUTS.accept]: () => void decide('accept'),
      [SHORTCUTS.reject]: () => void decide('reject'),
      [SHORTCUTS.cannotAssess]: () => void decide('cannot-assess'),
      [SHORTCUTS.next]: () => go(1),
      arrowright: () => go(1),
      [SHORTCUTS.previous]: () => go(-1),
      arrowleft: () => go(-1),
      [SHORTCUTS.mark]: () => markFieldRef.current?.focus(),
      [SHORTCUTS.list]: toList,
    };
    const run = act[key];
    if (run) {
      event.preventDefault();
      run();
    }
  };

  const regionLabel = `Record ${index + 1} of ${records.length}`;
  const decisionState = decided ? (pending.has(decided.id) ? 'Saving…' : 'Saved') : null;
  return (
    <div>
      <p>
        {formatCount(records.length)} records drawn on {review.sample.drawnAt.slice(0, 10)} ·{' '}
        <span data-testid="review-progress">
          {formatCount(decidedCount)} of {formatCount(records.length)} decided
        </span>
      </p>
      <progress max={records.length} value={decidedCount} aria-label="Records decided" />
      {assigned && (
        <p className="notice" data-testid="assigned-pass">
          Your data lead asked you for the {assigned} of two independent reviews of this sample. You see only
          your own decisions; records the two reviewers disagree on go to an adjudicator.
        </p>
      )}
      {review.dualReview && !assigned && (
        // resume where this reviewer stopped: their first undecided record
        <DualReviewStage stage={stage} onStage={nav.chooseStage} />
      )}
      <ReviewerFields reviewer={reviewer} onChange={setReviewer} />
      {!ready && (
        <p>
          <label htmlFor={ids.file}>Data file to review</label>{' '}
          <input
            id={ids.file}
            type="file"
            accept=".csv,text/csv"
            multiple
            onChange={(e) => void openFiles([...(e.currentTarget.files ?? [])])}
          />
          <br />
          The sampled records are read from your file while you review; Preflight stores only their keys, row
          numbers and a fingerprint of what you saw with each decision.
          {(review.packets ?? []).length > 0 && (
            <>
              {' '}
              Reviewing from a review packet? Open the packet again under "Review a packet from your data
              lead".
            </>
          )}
        </p>
      )}
      {fileStatus && <p role="status">{fileStatus}</p>}
      {ready && entry && (
        <div className="review-workspace">
          <section
            ref={regionRef}
            className="record-review"
            aria-label={regionLabel}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the review region takes the single-key shortcuts
            tabIndex={0}
            onKeyDown={onKeyDown}
          >
            <p className="shortcuts" id="review-shortcuts">
              Keys: <kbd>A</kbd> accept · <kbd>R</kbd> reject · <kbd>C</kbd> cannot assess · <kbd>N</kbd> or{' '}
              <kbd>→</kbd> next · <kbd>P</kbd> or <kbd>←</kbd> previous · <kbd>U</kbd> next not reviewed ·{' '}
              <kbd>Shift</kbd>+<kbd>U</kbd> previous not reviewed · <kbd>M</kbd> mark a field wrong ·{' '}
              <kbd>L</kbd> record list · <kbd>Esc</kbd> back to the record
            </p>
            <h5>
              Record {index + 1} of {records.length} · stratum {entry.stratum} · key{' '}
              <code className="record-key">
                <BreakableText text={entry.record.key} />
              </code>{' '}
              · row {formatCount(entry.record.row)}
              {decided && (
                <span className="decided">
                  {' '}
                  — {OUTCOME_LABELS[decided.outcome]} ·{' '}
                  <span data-testid="decision-state">{decisionState}</span>
                </span>
              )}
            </h5>
            <p className="to-list">
              <button type="button" onClick={toList} aria-keyshortcuts="L">
                Record list ({formatCount(nav.list.filter((r) => r.state === 'not-reviewed').length)} not
                reviewed)
              </button>
            </p>
            {decided && (
              <p className="decided-summary" data-testid="own-decision">
                Your decision: {OUTCOME_LABELS[decided.outcome]}
                {decided.findings.length > 0
                  ? `; fields marked wrong: ${decided.findings.map((f) => `${f.field} (${REASON_LABELS[f.reason].toLowerCase()}, ${f.defectClass})`).join(', ')}`
                  : ''}
                {decided.comment ? `; comment: “${decided.comment}”` : ''} — deciding again changes it and
                asks for a reason.
              </p>
            )}
            {!view ? (
              <p>This record is not in the chosen file.</p>
            ) : (
              <>
                <FlaggedReasons plan={plan} project={project} shown={view.shown} />
                <AlignedRecord view={view} findings={findings} onMark={markRow} />
              </>
            )}
            <DecisionForm
              form={form}
              fields={fields}
              own={decided}
              onDecide={(outcome) => void decide(outcome)}
              onGo={go}
              atStart={index === 0}
              atEnd={index >= records.length - 1}
              fieldRef={markFieldRef}
              reasonRef={reasonRef}
              changeRef={changeRef}
            />
          </section>
          {/* after the record: Tab from the reviewer's fields lands on the record itself */}
          <RecordList list={nav.list} index={index} onOpen={goTo} navRef={listRef} />
        </div>
      )}
      <p>
        <span data-testid="audit-status">{audit}</span>{' '}
        {actions && (
          <button
            type="button"
            aria-busy={auditExport === 'saving' ? true : undefined}
            aria-disabled={auditExport === 'saving' ? true : undefined}
            onClick={() => void exportAudit()}
          >
            {auditExport === 'saving' ? 'Waiting for the save…' : 'Export the audit log'}
          </button>
        )}
      </p>
      {auditExport !== 'idle' && auditExport !== 'saving' && <p role="alert">{auditExport}</p>}
      {actions && packet && (
        <ReviewerResultsExport packet={packet} review={review} project={project} actions={actions} />
      )}
      {actions && !packet && (
        <LeadPacketTools
          plan={plan}
          review={review}
          shownRecords={allShown}
          actions={actions}
          roster={project.meta.roster}
          project={project}
        />
      )}
      <VerdictTable review={review} plan={plan} />
      <AdjudicationPanel
        review={review}
        actions={actions}
        roster={project.meta.roster}
        identifying={(stratum, key) => {
          const shown = allShown()?.find((r) => r.stratum === stratum && r.recordKey === key);
          return shown ? identifyingValues(shown) : undefined;
        }}
        onShow={
          fromFile
            ? (stratum, key) => {
                const at = records.findIndex((r) => r.stratum === stratum && r.record.key === key);
                if (at < 0) return;
                go(at - index);
                regionRef.current?.scrollIntoView({ block: 'start' });
                regionRef.current?.focus();
              }
            : undefined
        }
      />
      <ErrorCharts review={review} />
      {actions && !packet && review.decisions.length > 0 && (
        <>
          <SignPanel review={review} plan={plan} project={project} actions={actions} />
          <SignoffExports review={review} plan={plan} project={project} actions={actions} />
        </>
      )}
    </div>
  );
}
