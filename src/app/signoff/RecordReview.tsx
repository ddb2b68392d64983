/**
 * The review of a drawn sample, one record at a time, keyboard first: each legacy field aligned
 * with what the mapping made of it and classed (`AlignedRecord.tsx`), the record list beside it
 * (`RecordList.tsx`), the decision form under it (`DecisionForm.tsx`), then the verdict, the
 * adjudications, the charts, the signatures and the exports of the review so far.
 *
 * Where the reviewer is lives in `useReviewNavigation.ts`, the records as shown in
 * `useShownRecords.ts`, the reviewer, the form, the save line and the audit line in the review store
 * (`reviewStore.ts`), and saving a decision in `useDecide.ts`. What stays here needs the page:
 * which element has the keyboard and what is scrolled into view. Record content is read from the
 * user's file on demand and kept only in this screen's memory; the project stores keys, row numbers
 * and hashes.
 *
 * A review decided on the team server (sent there, or of a project shared with it:
 * useDecisionPlace.ts) offers no typed-name reviewer, decision or adjudication form here: the
 * screen says where its records are decided, and shows the server's record as it grows.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { readSignoffSettings } from '../../core/project/signoffSettings.ts';
import { identifyingValues, recordCounts } from '../../core/signoff/review/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision, Review, Reviewer } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { AdjudicationPanel } from './AdjudicationPanel.tsx';
import { AlignedRecord, markableFields } from './AlignedRecord.tsx';
import { AuditLine } from './AuditLine.tsx';
import { DataFileChooser } from './DataFileChooser.tsx';
import { DecideOnServer } from './DecideOnServer.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { ErrorCharts } from './ErrorCharts.tsx';
import { FlaggedReasons } from './FlaggedReasons.tsx';
import { RecordHeading } from './RecordHeading.tsx';
import { RecordList } from './RecordList.tsx';
import { ReviewerFields } from './ReviewerFields.tsx';
import { LeadPacketTools, ReviewerResultsExport } from './ReviewPackets.tsx';
import { ReviewProgress } from './ReviewProgress.tsx';
import type { ReviewActions } from './reviewActions.ts';
import { type ReviewKeyHandlers, ReviewRegion } from './reviewKeys.tsx';
import {
  createReviewStore,
  formKey,
  initialReviewState,
  type ReviewState,
  useReview,
} from './reviewStore.ts';
import { SendToReviewers } from './SendToReviewers.tsx';
import { ServerRecordLine } from './ServerRecordLine.tsx';
import { SignoffExports } from './SignoffExports.tsx';
import { SignPanel } from './SignPanel.tsx';
import { useDecide } from './useDecide.ts';
import { useDecisionPlace } from './useDecisionPlace.ts';
import { useReviewNavigation } from './useReviewNavigation.ts';
import { useServerRecord } from './useServerRecord.ts';
import { useShownRecords } from './useShownRecords.ts';
import { VerdictTable } from './VerdictTable.tsx';

const NO_REVIEWER: Reviewer = { name: '', role: '', id: '' };
const selectFindings = (s: ReviewState) => s.findings;
const selectReviewer = (s: ReviewState) => s.reviewer;

export function RecordReview({
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
  const [store] = useState(() =>
    createReviewStore(initialReviewState(readSignoffSettings(project.meta.settings).reviewer ?? NO_REVIEWER)),
  );
  const findings = useReview(store, selectFindings);
  const reviewer = useReview(store, selectReviewer);
  const markFieldRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const listRef = useRef<HTMLElement>(null);
  const changeRef = useRef<HTMLTextAreaElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const regionRef = useRef<HTMLElement>(null);

  // the reviewer's own progress, counted where every other count is (recordCounts)
  const decidedCount = useMemo(() => recordCounts(review).total.byStage[stage], [review, stage]);
  // each record opens its own form: the reviewer's decision on it when revisited, else empty
  const openedId = entry ? formKey(stage, entry) : '';
  const decidedRef = useRef<Decision | undefined>(decided);
  decidedRef.current = decided;
  useEffect(() => {
    if (openedId) store.dispatch({ type: 'open', record: openedId, own: decidedRef.current });
  }, [store, openedId]);
  const { ready, fromFile, view, allShown, openFiles, fileStatus, source, shownToSend, sendsFrom } =
    useShownRecords({
      review,
      records,
      entry,
      mapping,
      packet,
    });
  const fields = useMemo(() => markableFields(view), [view]);
  // a review decided on the team server is decided there by each person signed in, never here
  const place = useDecisionPlace(project, review.id, packet !== undefined);
  const decidesHere = place.kind === 'here';
  // a review sent to a team project follows the server's record by itself (the lead's computer)
  const serverRecord = useServerRecord({
    review,
    plan,
    settings: project.meta.settings,
    actions: packet ? undefined : actions,
  });

  // the records are on screen: the review region takes the keyboard
  useEffect(() => {
    if (ready) regionRef.current?.focus();
  }, [ready]);

  // each move opens the record at its top, with the keyboard on it
  const opened = (keepStatus = false) => {
    if (!keepStatus) store.dispatch({ type: 'say', status: '' });
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
    else store.dispatch({ type: 'say', status: 'Every other record of the sample is reviewed.' });
  };
  // to the record list (below the record on a tablet or phone), on the record in view
  const toList = () => {
    const list = listRef.current;
    list?.scrollIntoView({ block: 'start' });
    (list?.querySelector<HTMLElement>('[aria-current="true"]') ?? list?.querySelector('select'))?.focus();
  };
  const markRow = (field: string) => {
    store.dispatch({ type: 'mark-row', field });
    reasonRef.current?.focus();
  };
  const decide = useDecide({
    store,
    actions: decidesHere ? actions : undefined,
    review,
    settings: project.meta.settings,
    entry,
    view,
    stage,
    index,
    total: records.length,
    openSaved: (at) => goTo(at, true),
    changeRef,
    commentRef,
  });

  const keys: ReviewKeyHandlers = {
    accept: () => void decide('accept'),
    reject: () => void decide('reject'),
    'cannot-assess': () => void decide('cannot-assess'),
    next: () => go(1),
    previous: () => go(-1),
    'next-unreviewed': () => goUnreviewed(1),
    'previous-unreviewed': () => goUnreviewed(-1),
    mark: () => markFieldRef.current?.focus(),
    list: toList,
  };

  return (
    <div>
      <ReviewProgress
        drawn={records.length}
        drawnAt={review.sample.drawnAt}
        decided={decidedCount}
        dualReview={review.dualReview === true}
        assigned={assigned}
        stage={stage}
        onStage={nav.chooseStage}
      />
      {decidesHere && (
        <ReviewerFields
          reviewer={reviewer}
          onChange={(next) => store.dispatch({ type: 'reviewer', reviewer: next })}
        />
      )}
      {place.kind === 'server' && <DecideOnServer place={place} what="review" />}
      {!ready && (
        <DataFileChooser
          onFiles={(files) => void openFiles(files)}
          packetsExported={(review.packets ?? []).length > 0}
        />
      )}
      {fileStatus && <p role="status">{fileStatus}</p>}
      {source && (
        <p data-testid="data-source">
          The records are read from {source.files.join(', ')}
          {source.remembered ? ', the file chosen for this sample earlier in this page session' : ''}. Nothing
          of it is stored.
        </p>
      )}
      {ready && entry && (
        <div className="review-workspace">
          <ReviewRegion label={`Record ${index + 1} of ${records.length}`} regionRef={regionRef} act={keys}>
            <RecordHeading
              store={store}
              index={index}
              total={records.length}
              entry={entry}
              decided={decided}
              notReviewed={nav.list.filter((r) => r.state === 'not-reviewed').length}
              onList={toList}
            />
            {!view ? (
              <p>This record is not in the chosen file.</p>
            ) : (
              <>
                <FlaggedReasons plan={plan} project={project} shown={view.shown} />
                <AlignedRecord
                  view={view}
                  findings={findings}
                  onMark={markRow}
                  {...(plan.notMigrated ? { notMigrated: plan.notMigrated } : {})}
                />
              </>
            )}
            {decidesHere && (
              <DecisionForm
                form={store}
                fields={fields}
                own={decided}
                onDecide={(outcome) => void decide(outcome)}
                onGo={go}
                atStart={index === 0}
                atEnd={index >= records.length - 1}
                fieldRef={markFieldRef}
                reasonRef={reasonRef}
                changeRef={changeRef}
                commentRef={commentRef}
              />
            )}
          </ReviewRegion>
          {/* after the record: Tab from the reviewer's fields lands on the record itself */}
          <RecordList list={nav.list} index={index} onOpen={goTo} navRef={listRef} />
        </div>
      )}
      <AuditLine store={store} review={review} project={project} actions={actions} />
      {actions && packet && (
        <ReviewerResultsExport packet={packet} review={review} project={project} actions={actions} />
      )}
      <ServerRecordLine record={serverRecord} />
      {actions && !packet && (
        <SendToReviewers
          review={review}
          plan={plan}
          shownRecords={shownToSend}
          shownFrom={sendsFrom}
          settings={project.meta.settings}
          actions={actions}
        />
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
        {...(decidesHere
          ? {}
          : {
              decidedElsewhere:
                place.kind === 'server' ? <DecideOnServer place={place} what="adjudication" /> : null,
            })}
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
          <SignoffExports
            review={review}
            plan={plan}
            project={project}
            actions={actions}
            {...(serverRecord.state.phase === 'local' ? {} : { beforeExport: serverRecord.keepInStep })}
          />
        </>
      )}
    </div>
  );
}
