/**
 * The clinician review of one locked plan (docs/product.md#sign-off): draw the sample from the files the plan
 * was locked with (in the sample worker), then review one record at a time — legacy row on the
 * left, the migrated record on the right, fields aligned through the mapping and differences
 * marked — keyboard first. Each decision is a `review/decide` change committed with
 * `session.commit`: "Saved" shows only once its strict-durability transaction (which also appends
 * its audit entry) completed. Record content is read from the user's file on demand and kept only
 * in this screen's memory; the project stores keys, row numbers and hashes.
 */
import { type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { hashFileInWorker } from '../../../workers/hashClient.ts';
import { drawSampleInWorker, readRowsInWorker } from '../../../workers/sampleClient.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import { verifyAuditChain } from '../../core/signoff/auditChain.ts';
import { decisionToChange } from '../../core/signoff/decisionRules.ts';
import { recordCounts, visibleDecisions } from '../../core/signoff/dualReview.ts';
import { packetStage } from '../../core/signoff/packets.ts';
import { planHash } from '../../core/signoff/planLock.ts';
import {
  decisionRefusal,
  drawnSampleOf,
  newReview,
  recordId,
  type ShownRecord,
  shownHash,
} from '../../core/signoff/review.ts';
import { STRATIFY_BY_VALIDATION } from '../../core/signoff/sampleCsv.ts';
import { type RecordView, viewOfShown, viewRecord } from '../../core/signoff/shown.ts';
import { readSignoffSettings, rememberReviewer } from '../../core/signoff/signoffSettings.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision, Outcome, Review, Reviewer } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { downloadText } from '../common/download.ts';
import { formatCount } from '../common/format.ts';
import { AdjudicationPanel } from './AdjudicationPanel.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { ErrorCharts } from './ErrorCharts.tsx';
import { LeadPacketTools, ReviewerResultsExport, reviewOfOpenPacket } from './ReviewPackets.tsx';
import type { ReviewActions } from './reviewActions.ts';
import { createReviewForm, useReviewForm } from './reviewForm.ts';
import { OUTCOME_LABELS, REASON_LABELS } from './reviewLabels.ts';
import { SignoffExports } from './SignoffExports.tsx';
import { SignPanel } from './SignPanel.tsx';
import { VerdictTable } from './VerdictTable.tsx';

/** A single-letter shortcut per action, shown on screen. */
const SHORTCUTS = {
  accept: 'a',
  reject: 'r',
  cannotAssess: 'c',
  next: 'n',
  previous: 'p',
  mark: 'm',
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

// ---- drawing ---------------------------------------------------------------------------------

/** The column contract of the plan's dataset, for a plan stratified by validation outcome. */
function strataContractOf(plan: SamplePlan, project: Project) {
  if (plan.population.stratifyBy !== STRATIFY_BY_VALIDATION) return undefined;
  const id = project.datasets.find((d) => d.name === plan.population.dataset)?.contract;
  const doc = project.schemas.find((s) => s.id === id);
  return doc ? { name: doc.name, schema: doc.schema as Record<string, unknown> } : undefined;
}

function DrawSample({
  plan,
  hash,
  mappingKey,
  project,
  actions,
}: {
  plan: SamplePlan;
  hash: string;
  mappingKey: string | undefined;
  project: Project;
  actions?: ReviewActions;
}) {
  const inputId = useId();
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'error'; text?: string }>({
    kind: 'idle',
  });
  const controller = useRef<AbortController | null>(null);
  const contract = strataContractOf(plan, project);
  if (plan.population.stratifyBy === STRATIFY_BY_VALIDATION && !contract) {
    return (
      <p className="notice">
        This plan forms its strata from the outcome of validation, but no column contract in this project
        belongs to {plan.population.dataset}. Add the contract to the dataset in the Migration workspace
        first.
      </p>
    );
  }
  if (!mappingKey) {
    return (
      <p className="notice">
        No mapping in this project reads {plan.population.dataset}, so Preflight does not know which column
        identifies a record. Add the mapping first.
      </p>
    );
  }
  const draw = async (files: File[]) => {
    if (!actions || files.length === 0) return;
    const locked = plan.lock?.datasets ?? [];
    const unknown = files.find((f) => !locked.some((d) => d.name === f.name));
    if (unknown) {
      setStatus({
        kind: 'error',
        text: `${unknown.name} is not one of the files this plan was locked with (${locked.map((d) => d.name).join(', ')}).`,
      });
      return;
    }
    controller.current = new AbortController();
    setStatus({ kind: 'working', text: 'Drawing the sample… 0 %' });
    try {
      const outcome = await drawSampleInWorker(plan, files, mappingKey, {
        signal: controller.current.signal,
        ...(contract ? { contract } : {}),
        onProgress: (p) =>
          setStatus({
            kind: 'working',
            text: `Drawing the sample… ${p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0} %`,
          }),
      });
      if (!outcome.ok) {
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      for (const input of outcome.document.inputs) {
        const lockedFile = locked.find((d) => d.name === input.file);
        if (lockedFile && lockedFile.sha256 !== input.sha256) {
          setStatus({
            kind: 'error',
            text: `${input.file} is not the file this plan was locked with: its SHA-256 fingerprint differs (${input.sha256.slice(0, 12)}… instead of ${lockedFile.sha256.slice(0, 12)}…). Choose the same file, or make a new plan for the changed data.`,
          });
          return;
        }
      }
      const missing = locked.filter((d) => !outcome.document.inputs.some((i) => i.file === d.name));
      if (missing.length > 0) {
        setStatus({
          kind: 'error',
          text: `Choose every file the plan was locked with; missing: ${missing.map((d) => d.name).join(', ')}.`,
        });
        return;
      }
      const mapping = project.mappings.find((m) => m.source === plan.population.dataset);
      const review = newReview({
        id: actions.newId(),
        plan,
        planHash: hash,
        sample: drawnSampleOf(outcome.document, actions.now()),
        ...(mapping ? { mapping: { id: mapping.id, version: mapping.version } } : {}),
      });
      setStatus({ kind: 'working', text: 'Saving the drawn sample…' });
      await actions.commit({ type: 'review/put', review });
      setStatus({ kind: 'idle' });
    } catch (error) {
      const jobError = toJobError(error);
      setStatus({
        kind: 'error',
        text: jobError.name === 'JobCancelledError' ? 'Drawing was cancelled.' : jobError.message,
      });
    } finally {
      controller.current = null;
    }
  };
  return (
    <div>
      <p>
        Choose the data file{(plan.lock?.datasets.length ?? 0) > 1 ? 's' : ''} the plan was locked with again.
        Preflight checks each file's fingerprint and draws the sample in the background; the files stay on
        this computer.
        {contract &&
          ` First every record is checked against the column contract “${contract.name}”: records with at least one error, or whose key appears more than once, form the flagged stratum.`}
      </p>
      <label htmlFor={inputId}>Data files for the sample</label>{' '}
      <input
        id={inputId}
        type="file"
        accept=".csv,text/csv"
        multiple
        disabled={!actions || status.kind === 'working'}
        onChange={(e) => void draw([...(e.currentTarget.files ?? [])])}
      />
      {status.kind === 'working' && (
        <p role="status">
          {status.text}{' '}
          <button type="button" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        </p>
      )}
      {status.kind === 'error' && <p role="alert">{status.text}</p>}
    </div>
  );
}

// ---- reviewing -------------------------------------------------------------------------------

interface LoadedRows {
  header: string[];
  rows: Map<string, string[]>;
}

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
  const records = useMemo(
    () => review.sample.strata.flatMap((s) => s.records.map((r) => ({ stratum: s.id, record: r }))),
    [review],
  );
  // under dual review each reviewer sees only their own decisions until both decided a record; on a
  // clinician's review of a packet the stage is the pass the data lead assigned, not a choice
  const assigned = packetStage(review);
  const [chosenStage, setStage] = useState<'first' | 'second'>('first');
  const stage = assigned ?? chosenStage;
  const current = useMemo(() => visibleDecisions(review, stage), [review, stage]);
  const mapping = project.mappings.find((m) => m.id === review.mapping?.id) ?? undefined;
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      records.findIndex((r) => !current.has(recordId(r.stratum, r.record.key))),
    ),
  );
  // the reviewer last named on this project (settings.signoff), so a reload does not ask again
  const [reviewer, setReviewer] = useState<Reviewer>(
    () => readSignoffSettings(project.meta.settings).reviewer ?? { name: '', role: '', id: '' },
  );
  const [loaded, setLoaded] = useState<LoadedRows | null>(null);
  const [fileStatus, setFileStatus] = useState<string | null>(null);
  const [form] = useState(createReviewForm);
  const findings = useReviewForm(form, (s) => s.findings);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [audit, setAudit] = useState<string>('');
  const markFieldRef = useRef<HTMLSelectElement>(null);
  const changeRef = useRef<HTMLTextAreaElement>(null);
  const regionRef = useRef<HTMLElement>(null);
  const ids = { name: useId(), role: useId(), staff: useId(), file: useId() };

  const entry = records[index];
  const decided = entry ? current.get(recordId(entry.stratum, entry.record.key)) : undefined;
  // the reviewer's own progress, counted where every other count is (recordCounts)
  const decidedCount = useMemo(() => recordCounts(review).total.byStage[stage], [review, stage]);
  // each record opens its own form: the reviewer's decision on it when revisited, else empty
  const openedId = entry ? `${stage}\u001f${recordId(entry.stratum, entry.record.key)}` : '';
  const decidedRef = useRef<Decision | undefined>(decided);
  decidedRef.current = decided;
  useEffect(() => {
    if (openedId) form.open(decidedRef.current);
  }, [form, openedId]);
  // the clinician's side: the records come from the packet, shown exactly as the data lead saw them
  const packetViews = useMemo(
    () =>
      packet
        ? new Map(
            packet.records.map((r) => [recordId(r.stratum, r.key), viewOfShown(r.shown as ShownRecord)]),
          )
        : null,
    [packet],
  );
  const ready = loaded !== null || packetViews !== null;
  const view: RecordView | null = useMemo(() => {
    if (entry && packetViews) return packetViews.get(recordId(entry.stratum, entry.record.key)) ?? null;
    if (!entry || !loaded) return null;
    const cells = loaded.rows.get(`${entry.record.file ?? ''}\u001f${entry.record.row}`);
    if (!cells) return null;
    return viewRecord({
      planHash: review.plan.hash,
      stratum: entry.stratum,
      record: entry.record,
      header: loaded.header,
      cells,
      mapping,
    });
  }, [entry, loaded, mapping, review.plan.hash, packetViews]);
  /** What the screen shows for every drawn record (for a review packet); null without the file. */
  const allShown = useCallback((): ShownRecord[] | null => {
    if (!loaded) return null;
    return records.flatMap(({ stratum, record }) => {
      const cells = loaded.rows.get(`${record.file ?? ''}\u001f${record.row}`);
      if (!cells) return [];
      return [
        viewRecord({ planHash: review.plan.hash, stratum, record, header: loaded.header, cells, mapping })
          .shown,
      ];
    });
  }, [loaded, records, review.plan.hash, mapping]);

  const checkAudit = useCallback(async () => {
    if (!actions) return;
    const entries = await actions.auditLog();
    const result = verifyAuditChain(entries, project.reviews, {
      steering: readSteeringDecisions(project.meta.settings),
    });
    setAudit(
      result.ok
        ? `Audit log: ${formatCount(result.entries)} entries, chain intact (head ${result.head.slice(0, 12)}…).`
        : `Audit log broken at entry ${result.entry}: ${result.message}.`,
    );
  }, [actions, project.reviews, project.meta.settings]);
  useEffect(() => {
    if (pending.size === 0) void checkAudit();
  }, [checkAudit, pending]);

  // the records are on screen: the review region takes the keyboard
  useEffect(() => {
    if (ready) regionRef.current?.focus();
  }, [ready]);

  const exportAudit = async () => {
    if (!actions) return;
    const file = createAuditLogFile({
      projectId: actions.projectId,
      exportedAt: actions.now(),
      entries: await actions.auditLog(),
      reviews: project.reviews ?? [],
      ...(project.meta.roster ? { roster: project.meta.roster } : {}),
    });
    downloadText(`audit-log-${review.plan.id}.json`, `${JSON.stringify(file, null, 2)}\n`);
  };

  const openFiles = async (files: File[]) => {
    setFileStatus('Checking the file and reading the sampled records…');
    try {
      const rows = new Map<string, string[]>();
      let header: string[] = [];
      for (const file of files) {
        const input = review.sample.inputs.find((i) => i.file === file.name);
        if (!input) {
          setFileStatus(
            `${file.name} is not a file this sample was drawn from (${review.sample.inputs.map((i) => i.file).join(', ')}).`,
          );
          return;
        }
        const digest = await hashFileInWorker(file);
        if (digest.sha256 !== input.sha256) {
          setFileStatus(
            `${file.name} is not the file the sample was drawn from: its SHA-256 fingerprint differs. Choose the same file.`,
          );
          return;
        }
        const wanted = records
          .filter((r) => (r.record.file ?? file.name) === file.name)
          .map((r) => r.record.row);
        const read = await readRowsInWorker(file, wanted);
        header = read.header;
        for (const [row, cells] of read.rows) rows.set(`${file.name}\u001f${row}`, cells);
      }
      setLoaded({ header, rows });
      setFileStatus(null);
    } catch (error) {
      setFileStatus(toJobError(error).message);
    }
  };

  const reviewerReady =
    reviewer.name.trim() !== '' && reviewer.role.trim() !== '' && reviewer.id.trim() !== '';
  const go = (delta: number) => {
    setIndex((i) => Math.min(records.length - 1, Math.max(0, i + delta)));
    form.set({ status: '' });
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
      if (at < records.length - 1) setIndex(at + 1);
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
    const act: Record<string, () => void> = {
      [SHORTCUTS.accept]: () => void decide('accept'),
      [SHORTCUTS.reject]: () => void decide('reject'),
      [SHORTCUTS.cannotAssess]: () => void decide('cannot-assess'),
      [SHORTCUTS.next]: () => go(1),
      arrowright: () => go(1),
      [SHORTCUTS.previous]: () => go(-1),
      arrowleft: () => go(-1),
      [SHORTCUTS.mark]: () => markFieldRef.current?.focus(),
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
        <DualReviewStage
          stage={stage}
          onStage={(next) => {
            setStage(next);
            // resume where this reviewer stopped: their first undecided record
            const own = visibleDecisions(review, next);
            setIndex(
              Math.max(
                0,
                records.findIndex((r) => !own.has(recordId(r.stratum, r.record.key))),
              ),
            );
          }}
        />
      )}
      <fieldset className="reviewer">
        <legend>Reviewer</legend>
        <label htmlFor={ids.name}>Printed name</label>
        <input
          id={ids.name}
          value={reviewer.name}
          autoComplete="off"
          onChange={(e) => setReviewer({ ...reviewer, name: e.currentTarget.value })}
        />
        <label htmlFor={ids.role}>Role</label>
        <input
          id={ids.role}
          value={reviewer.role}
          autoComplete="off"
          onChange={(e) => setReviewer({ ...reviewer, role: e.currentTarget.value })}
        />
        <label htmlFor={ids.staff}>Staff id</label>
        <input
          id={ids.staff}
          value={reviewer.id}
          autoComplete="off"
          onChange={(e) => setReviewer({ ...reviewer, id: e.currentTarget.value })}
        />
      </fieldset>
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
            <kbd>→</kbd> next · <kbd>P</kbd> or <kbd>←</kbd> previous · <kbd>M</kbd> mark a field wrong ·{' '}
            <kbd>Esc</kbd> back to the record
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
          {decided && (
            <p className="decided-summary" data-testid="own-decision">
              Your decision: {OUTCOME_LABELS[decided.outcome]}
              {decided.findings.length > 0
                ? `; fields marked wrong: ${decided.findings.map((f) => `${f.field} (${REASON_LABELS[f.reason].toLowerCase()}, ${f.defectClass})`).join(', ')}`
                : ''}
              {decided.comment ? `; comment: “${decided.comment}”` : ''} — deciding again changes it and asks
              for a reason.
            </p>
          )}
          {!view ? (
            <p>This record is not in the chosen file.</p>
          ) : (
            <div className="side-by-side">
              <table className="data-table">
                <caption>Legacy record</caption>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {view.shown.source.header.map((column, i) => (
                    <tr key={column}>
                      <th scope="row">
                        <BreakableText text={column} />
                      </th>
                      <td>
                        <BreakableText text={view.shown.source.cells[i] ?? ''} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table className="data-table">
                <caption>
                  Migrated record
                  {view.shown.mapping
                    ? ` (mapping ${view.shown.mapping.id}, version ${view.shown.mapping.version})`
                    : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Value</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {view.fields.map((f) => {
                    const marked = findings.find((x) => x.field === f.target);
                    return (
                      <tr key={f.target} className={f.differs ? 'differs' : undefined}>
                        <th scope="row">
                          <BreakableText text={f.target} camelCase />
                        </th>
                        <td>
                          <BreakableText text={f.value} />
                          {f.differs && <span className="diff-flag"> (differs from the legacy value)</span>}
                          {marked && (
                            <strong className="marked">
                              {' '}
                              Marked wrong: {REASON_LABELS[marked.reason]}, {marked.defectClass}
                            </strong>
                          )}
                        </td>
                        <td>
                          <BreakableText text={f.columns.join(' + ') || 'fixed value'} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <DecisionForm
            form={form}
            fields={view?.fields ?? []}
            own={decided}
            onDecide={(outcome) => void decide(outcome)}
            onGo={go}
            atStart={index === 0}
            atEnd={index >= records.length - 1}
            fieldRef={markFieldRef}
            changeRef={changeRef}
          />
        </section>
      )}
      <p>
        <span data-testid="audit-status">{audit}</span>{' '}
        {actions && (
          <button type="button" onClick={() => void exportAudit()}>
            Export the audit log
          </button>
        )}
      </p>
      {actions && packet && <ReviewerResultsExport packet={packet} review={review} actions={actions} />}
      {actions && !packet && (
        <LeadPacketTools
          plan={plan}
          review={review}
          shownRecords={allShown}
          actions={actions}
          roster={project.meta.roster}
        />
      )}
      <VerdictTable review={review} plan={plan} />
      <AdjudicationPanel
        review={review}
        actions={actions}
        roster={project.meta.roster}
        onShow={
          loaded
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

/** Which of the two independent reviews this reviewer is making (dual review only). */
function DualReviewStage({
  stage,
  onStage,
}: {
  stage: 'first' | 'second';
  onStage: (stage: 'first' | 'second') => void;
}) {
  const name = useId();
  return (
    <fieldset className="reviewer">
      <legend>Dual review: two clinicians review every record independently</legend>
      <label>
        <input type="radio" name={name} checked={stage === 'first'} onChange={() => onStage('first')} /> I am
        the first reviewer
      </label>
      <label>
        <input type="radio" name={name} checked={stage === 'second'} onChange={() => onStage('second')} /> I
        am the second reviewer
      </label>
      <p className="step-detail">
        You see only your own decisions until both reviewers have decided a record. Records you disagree on go
        to an adjudicator.
      </p>
    </fieldset>
  );
}
