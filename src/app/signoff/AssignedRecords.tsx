/**
 * "My assigned records" on a team project's page: the records the lead assigned to the signed-in
 * reviewer, each opened from the team server (which records the read) and reviewed with the
 * review screen's own parts — the aligned record (`AlignedRecord.tsx`), the decision form
 * (`DecisionForm.tsx`) and its rules (`draftDecision.ts`) — for her pass, with the same keys
 * (`reviewKeys.tsx`: A, R, C, N, P…) and decision bar: a decision opens her next record still to
 * decide, so an accepted record costs one key. Her decisions are saved
 * on this computer first and sent to the server in the order made (serverReviews.ts), so a lost
 * network loses nothing; the server's refusal is said in its words. An adjudicator sees a record
 * once its two reviewers disagree, with their two decisions, and accepts or rejects it — with the
 * same keys (A accepts, R rejects once she has said why), her next record opening on a ruling.
 *
 * Constraint: the record pair stays in this screen's memory only; the decision is signed in the
 * reviewer's own name (her name and membership id as the server knows them), never typed.
 */
import {
  type CSSProperties,
  memo,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { nextWhere, recordId, viewOfShown } from '../../core/signoff/review/index.ts';
import { type Decision, type Outcome, REVIEW_FORMAT, type Review } from '../../formats/review.ts';
import { formatCount } from '../common/format.ts';
import type { TeamRole } from '../team/teamClient.ts';
import { assignedReviewRead, serverReviewListRead } from '../team/teamReads.ts';
import { useTeamRead } from '../team/useTeamRead.ts';
import { AlignedRecord, markableFields } from './AlignedRecord.tsx';
import { AssignedRecordLine } from './AssignedRecordLine.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { draftDecision } from './draftDecision.ts';
import { type ReviewKeyHandlers, ReviewRegion } from './reviewKeys.tsx';
import { OUTCOME_LABELS } from './reviewLabels.ts';
import { createReviewStore, formKey, initialReviewState, useReview } from './reviewStore.ts';
import { SignMyReview } from './SignMyReview.tsx';
import { localDateTimeWithZone } from './SignPanel.tsx';
import {
  type AssignedRecord,
  type AssignedReview,
  type OpenedRecord,
  openRecord,
  type ServerDecision,
  type ServerOutboxState,
  type ServerReviewSummary,
} from './serverReviews.ts';
import type { TeamSession } from './serverSigning.ts';
import { sayNotDrafted } from './useDecide.ts';
import { useDecisionOutbox } from './useDecisionOutbox.ts';
import { useLeaveGuard } from './useLeaveGuard.ts';
import './signoff.css';

/** The decisions of a review not read yet: one array, so what is memoised on it stays. */
const NO_DECISIONS: ServerDecision[] = [];

/** Her list's line, drawn again only when its own props change. */
const RecordLine = memo(AssignedRecordLine);
/** The record in view, its form and her signature, drawn again only when their own props change. */
const ShownRecord = memo(AlignedRecord);
const RecordForm = memo(DecisionForm);
const SignatureLines = memo(SignMyReview);

/** What a decision, U or Shift+U says when no other record of hers waits for a decision. */
const NONE_LEFT = 'No other record sent to you waits for your decision.';

const PASS_WORDS = { first: 'first review', second: 'second review', adjudication: 'adjudication' } as const;

/**
 * The role a decision carries when the reviewer gives no job title: the pass she holds, which is
 * true of her. Her signature's role is the server's (her role on the project's roster), never this.
 */
const PASS_ROLES = {
  first: 'First reviewer',
  second: 'Second reviewer',
  adjudication: 'Adjudicator',
} as const;

/**
 * Why a record of hers is not reviewed here: her pass on it was decided in her offline packet,
 * which the lead recorded on the server (the lead's entry, not hers).
 */
function packetSentence(decided: NonNullable<AssignedRecord['decidedInPacket']>): string {
  return `Decided in your offline packet (${OUTCOME_LABELS[decided.outcome].toLowerCase()}), recorded by ${decided.recordedBy} on ${localDateTimeWithZone(decided.recordedAt).slice(0, 10)}.`;
}

/** The signed-in reviewer's records on `projectId`; nothing when her role reviews none. */
export function AssignedRecords({
  session,
  projectId,
  myName,
  myRole,
}: {
  session: TeamSession;
  projectId: string;
  /** the reviewer's name as the identity provider gives it (her decisions carry it) */
  myName: string;
  /** her role on the team project, as the server knows it (absent: not known) */
  myRole?: TeamRole;
}) {
  const titleId = useId();
  // read through the browser's one cache of team reads, again when the project's reviews change
  const listed = useTeamRead({ session, projectId }, serverReviewListRead);
  const all: ServerReviewSummary[] | undefined = listed.value ?? listed.kept;
  const reviews = useMemo(() => all?.filter((r) => r.assignedToMe > 0), [all]);
  const error = listed.unread;
  const [open, setOpen] = useState<string | undefined>();
  return (
    <section className="card assigned-records" aria-labelledby={titleId}>
      <h3 id={titleId}>My assigned records</h3>
      {error && <p role="alert">{error}</p>}
      {reviews === undefined && !error && <p role="status">Asking the team server for your records…</p>}
      {reviews?.length === 0 && <p>No records are assigned to you on this project yet.</p>}
      {reviews && reviews.length > 0 && (
        <ul>
          {reviews.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => setOpen(r.id)}
                aria-pressed={open === r.id}
                // another review closes this one: held while decisions wait to be sent
                data-leaves-review={open !== undefined && open !== r.id ? '' : undefined}
              >
                Review {formatCount(r.assignedToMe)} {r.assignedToMe === 1 ? 'record' : 'records'} of the
                sample sent {r.assignedAt.slice(0, 10)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {open !== undefined && (
        <ServerReviewSession
          key={open}
          session={session}
          projectId={projectId}
          reviewId={open}
          myName={myName}
          {...(myRole === undefined ? {} : { myRole })}
        />
      )}
    </section>
  );
}

/**
 * The review as the decision rules read it for `records` of hers (the record in view: the rules
 * are per record) and `decisions`, those on them she may see.
 */
function reviewOf(
  assigned: AssignedReview,
  records: readonly AssignedRecord[],
  decisions: readonly Decision[],
): Review {
  const strata = new Map<string, { key: string; row: number }[]>();
  for (const r of records)
    strata.set(r.stratum, [...(strata.get(r.stratum) ?? []), { key: r.recordKey, row: 0 }]);
  return {
    format: REVIEW_FORMAT,
    id: assigned.review,
    plan: { id: 'team', hash: assigned.planHash },
    sample: {
      drawnAt: '',
      seed: '',
      inputs: [],
      strata: [...strata].map(([id, records]) => ({
        id,
        census: false,
        population: records.length,
        n: records.length,
        records,
      })),
    },
    ...(assigned.dualReview ? { dualReview: true } : {}),
    decisions: [...decisions],
  };
}

/**
 * Her list of records, drawn again only when a record is decided or another is shown: not at each
 * save and send of a decision, which change nothing in it. `current`: the index of the record
 * shown, -1 while none is. A list longer than {@link WHOLE_LIST_LINES} draws the lines in sight
 * only ({@link LinesInSight}): a key then costs the same on a review of 5,000 records as on one of
 * 200, where a list drawn whole cost a browser about a second per key.
 */
const RecordLines = memo(function RecordLines({
  records,
  decided,
  current,
  onOpen,
  listRef,
}: {
  records: readonly AssignedRecord[];
  decided: ReadonlySet<string>;
  current: number;
  onOpen: (index: number) => void;
  listRef: RefObject<HTMLOListElement | null>;
}) {
  const line = (i: number, of?: number, away?: CSSProperties) => {
    const r = records[i] as AssignedRecord;
    return (
      <RecordLine
        key={r.id}
        index={i}
        id={r.id}
        stratum={r.stratum}
        pass={PASS_WORDS[r.pass]}
        sent={r.sent}
        state={
          decided.has(recordId(r.stratum, r.recordKey))
            ? 'decided'
            : r.decidedInPacket && r.pass !== 'adjudication'
              ? 'decided in packet'
              : 'to decide'
        }
        current={i === current}
        onOpen={onOpen}
        {...(of === undefined ? {} : { of })}
        {...(away === undefined ? {} : { away })}
      />
    );
  };
  if (records.length > WHOLE_LIST_LINES)
    return <LinesInSight count={records.length} current={current} listRef={listRef} line={line} />;
  return (
    <ol ref={listRef} aria-label="Your records" className="assigned-list">
      {records.map((_, i) => line(i))}
    </ol>
  );
});

/** Lists up to this long are drawn whole: a key's cost on one is small, and every line is in the page. */
const WHOLE_LIST_LINES = 200;
/** Lines in sight in a longer list's box: its height, in lines. */
const LINES_IN_SIGHT = 15;
/** Lines drawn beyond those in sight, each way: a scroll shows lines already drawn. */
const LINES_BEYOND_SIGHT = 10;
/** Lines kept above the record in view when the box scrolls to show it: she sees what she decided. */
const LINES_ABOVE_CURRENT = 2;
/** A line's height where nothing is laid out (no browser); in a browser, a drawn line's own height. */
const LINE_PX_UNLAID = 32;

/**
 * A long list of hers in a box of {@link LINES_IN_SIGHT} lines, drawing the lines in sight and
 * {@link LINES_BEYOND_SIGHT} either side, the room of the others kept (the box scrolls as over the
 * whole list). The record in view is always drawn: a key that opens a record out of sight scrolls
 * the box to it, and while she scrolls elsewhere its line stays in the page at its place, so L
 * still takes her to it. Each line says its place in the whole list to a screen reader. Its lines
 * are one height (they do not wrap: signoff.css), measured on the first drawn.
 */
function LinesInSight({
  count,
  current,
  listRef,
  line,
}: {
  count: number;
  current: number;
  listRef: RefObject<HTMLOListElement | null>;
  /** line `i` of her list, saying its place among `of`; `away`: drawn at its place out of the flow */
  line: (i: number, of: number, away?: CSSProperties) => ReactNode;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [linePx, setLinePx] = useState(LINE_PX_UNLAID);
  // the first line in sight, and the record in view it was last set for; `follow`: the box is to
  // scroll to `first` (a key opened a record out of sight), not the other way round
  const [sight, setSight] = useState({ first: 0, current: -1, follow: false });
  const lastFirst = Math.max(0, count - LINES_IN_SIGHT);
  if (current !== sight.current) {
    const inSight = current >= sight.first && current < sight.first + LINES_IN_SIGHT;
    const first =
      current < 0 || inSight ? sight.first : Math.min(lastFirst, Math.max(0, current - LINES_ABOVE_CURRENT));
    setSight({ first, current, follow: first !== sight.first });
  }
  useLayoutEffect(() => {
    const box = boxRef.current;
    const drawn = box?.querySelector<HTMLElement>('li:not([data-away])')?.offsetHeight;
    if (drawn) setLinePx(drawn);
  }, []);
  useLayoutEffect(() => {
    if (sight.follow && boxRef.current) boxRef.current.scrollTop = sight.first * linePx;
  }, [sight, linePx]);
  const onScroll = () => {
    const box = boxRef.current;
    if (!box) return;
    const first = Math.min(lastFirst, Math.floor(box.scrollTop / linePx));
    setSight((s) => (s.first === first ? s : { ...s, first, follow: false }));
  };
  const from = Math.max(0, sight.first - LINES_BEYOND_SIGHT);
  const to = Math.min(count, sight.first + LINES_IN_SIGHT + LINES_BEYOND_SIGHT);
  const drawn = Array.from({ length: to - from }, (_, k) => line(from + k, count));
  // the record in view, scrolled away from: at its own place, outside the lines drawn in the flow
  const away = { position: 'absolute', top: current * linePx, left: 0, right: 0 } as const;
  if (current >= 0 && current < from) drawn.unshift(line(current, count, away));
  if (current >= to) drawn.push(line(current, count, away));
  return (
    <div
      ref={boxRef}
      className="assigned-list-window"
      style={{ maxHeight: LINES_IN_SIGHT * linePx }}
      onScroll={onScroll}
    >
      <ol
        ref={listRef}
        aria-label="Your records"
        className="assigned-list"
        style={{ position: 'relative', paddingTop: from * linePx, paddingBottom: (count - to) * linePx }}
      >
        {drawn}
      </ol>
    </div>
  );
}

/** What the record region shows of her record in view: kept, hidden, while her next one opens. */
interface RegionShown {
  label: string;
  view: ReturnType<typeof viewOfShown>;
  fields: ReturnType<typeof markableFields>;
  /** her decision on it, if she made one */
  own: Decision | undefined;
  atStart: boolean;
  atEnd: boolean;
}

function ServerReviewSession({
  session,
  projectId,
  reviewId,
  myName,
  myRole,
}: {
  session: TeamSession;
  projectId: string;
  reviewId: string;
  myName: string;
  myRole?: TeamRole;
}) {
  const [failure, setError] = useState<string | undefined>();
  const [at, setAt] = useState(0);
  const [opened, setOpened] = useState<OpenedRecord | undefined>();
  // while her next record opens, the height of the one she left: the page keeps its place
  const [leftHeight, setLeftHeight] = useState<number | undefined>();
  // a record her packet decided is shown as such, not opened (there is nothing to decide on it)
  const [packetShown, setPacketShown] = useState(false);
  // what became of the adjudicator's last ruling, said while her next record opens
  const [ruled, setRuled] = useState('');
  const { outbox, state: queued, sentHere } = useDecisionOutbox(session, projectId, reviewId);
  // her records and the review's decisions, through the browser's one cache of team reads: read
  // again when the review's assignments or decisions change, but not at the echo of her own
  // decision (the outbox shows it already); a read overtaken by a later one never lands
  const server = { session, projectId, own: sentHere };
  const read = useTeamRead(server, assignedReviewRead, reviewId);
  const answer = read.value ?? read.kept;
  const assigned: AssignedReview | undefined = answer?.assigned;
  const seen: ServerDecision[] = answer?.decisions ?? NO_DECISIONS;
  const error = failure ?? read.unread;
  const guard = useLeaveGuard(queued.pending.length > 0);
  const [store] = useState(() => createReviewStore(initialReviewState({ name: myName, role: '', id: '' })));
  const findings = useReview(store, (s) => s.findings);
  const reviewer = useReview(store, (s) => s.reviewer);
  const fieldRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const changeRef = useRef<HTMLTextAreaElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const regionRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const roleId = useId();
  const roleHintId = useId();

  const memberId = assigned?.memberId;
  useEffect(() => {
    if (memberId === undefined) return;
    const { role } = store.get().reviewer;
    store.dispatch({ type: 'reviewer', reviewer: { name: myName, role, id: memberId } });
  }, [store, myName, memberId]);
  // the decisions the rules see, by record: the server's, then what was sent or waits here (by
  // id, once); a decision reads its own record's, never the whole review's
  const byRecord = useMemo(() => {
    const ids = new Set<string>();
    const grouped = new Map<string, Decision[]>();
    for (const list of [seen.map((s) => s.decision), queued.sent.map((s) => s.decision), queued.pending])
      for (const d of list) {
        if (ids.has(d.id)) continue;
        ids.add(d.id);
        const key = recordId(d.stratum, d.recordKey);
        const on = grouped.get(key);
        if (on) on.push(d);
        else grouped.set(key, [d]);
      }
    return grouped;
  }, [seen, queued]);
  const decisionsOn = useCallback(
    (r: Pick<AssignedRecord, 'stratum' | 'recordKey'> | undefined) =>
      r === undefined ? [] : (byRecord.get(recordId(r.stratum, r.recordKey)) ?? []),
    [byRecord],
  );

  // her own decisions: those she posted, never one the lead recorded from her packet in her name
  const mine = useMemo(() => {
    const fromPacket = new Set(seen.filter((s) => s.fromPacket === true).map((s) => s.decision.id));
    return (d: Decision) => d.reviewer.id === assigned?.memberId && !fromPacket.has(d.id);
  }, [seen, assigned]);
  // the records she decided, read once per change of the decisions, not once per record shown;
  // the same set while they are the same, so her list is not drawn again for a send
  const decidedBefore = useRef(new Set<string>());
  const decided = useMemo(() => {
    const keys = new Set<string>();
    for (const [key, on] of byRecord) if (on.some(mine)) keys.add(key);
    const before = decidedBefore.current;
    if (keys.size === before.size && [...keys].every((k) => before.has(k))) return before;
    decidedBefore.current = keys;
    return keys;
  }, [byRecord, mine]);
  const record = assigned?.records[at];
  // the review as the rules read it for the record in view
  const review = useMemo(
    () => (assigned ? reviewOf(assigned, record ? [record] : [], decisionsOn(record)) : undefined),
    [assigned, record, decisionsOn],
  );
  const entry = useMemo(
    () =>
      opened && record
        ? {
            stratum: record.stratum,
            record: {
              key: record.recordKey,
              row: opened.shown.source.row,
              ...(opened.shown.source.file === undefined ? {} : { file: opened.shown.source.file }),
            },
          }
        : undefined,
    [opened, record],
  );
  const view = useMemo(() => (opened ? viewOfShown(opened.shown) : null), [opened]);
  const stage = record?.pass === 'second' ? 'second' : 'first';
  const own = useMemo(() => decisionsOn(record).findLast(mine), [decisionsOn, mine, record]);

  /** Opens record `index`; `keepRuled`: the line about her last ruling stays (it opened the next). */
  const openAt = async (index: number, keepRuled = false) => {
    const next = assigned?.records[index];
    if (!next) return;
    if (!keepRuled) setRuled('');
    // a record already left (hidden while this one opens) keeps the room it had
    const region = regionRef.current;
    setLeftHeight((kept) => (region?.hidden ? kept : region?.offsetHeight));
    setAt(index);
    setOpened(undefined);
    setPacketShown(false);
    if (!next.sent) {
      setError('The lead has not sent this record yet: it opens once she has.');
      return;
    }
    if (next.decidedInPacket !== undefined && next.pass !== 'adjudication') {
      setError(undefined);
      setPacketShown(true);
      return;
    }
    try {
      const got = await openRecord(session, projectId, reviewId, next.id);
      setError(undefined);
      setOpened(got);
      if (next.pass !== 'adjudication')
        store.dispatch({
          type: 'open',
          record: formKey(next.pass, { stratum: next.stratum, record: { key: next.recordKey } }),
          own: decisionsOn(next).findLast(mine),
        });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // the list's lines open records through one function of steady identity, so a line is drawn
  // again only when what it shows changes (AssignedRecordLine.tsx)
  const openAtRef = useRef(openAt);
  openAtRef.current = openAt;
  const openLine = useCallback((index: number) => void openAtRef.current(index), []);

  // a record shown (by a key, its button, or after a decision) takes the keyboard, at its top
  const shown = opened ? `record ${opened.record.id}` : packetShown ? `packet ${at}` : '';
  useEffect(() => {
    if (!shown) return;
    regionRef.current?.scrollIntoView({ block: 'start' });
    regionRef.current?.focus();
  }, [shown]);

  const decidedByHer = (r: AssignedRecord) => decided.has(recordId(r.stratum, r.recordKey));
  /** Opens her next (1) or previous (-1) record still to decide; false when none is left. */
  const openToDecide = (direction: 1 | -1, keepRuled = false): boolean => {
    const records = assigned?.records ?? [];
    const toDecide = (i: number) => {
      const r = records[i];
      if (!r?.sent || decidedByHer(r)) return false;
      return r.pass === 'adjudication' || !r.decidedInPacket;
    };
    const next = nextWhere(records.length, at, direction, toDecide);
    if (next === at) return false;
    void openAt(next, keepRuled);
    return true;
  };

  const decide = async (outcome: Outcome) => {
    if (
      !outbox ||
      !review ||
      !entry ||
      !view ||
      !record ||
      record.pass === 'adjudication' ||
      record.decidedInPacket
    )
      return;
    // a double press: the decision is already on its way, and is the one the record gets
    const form = store.get();
    if (form.decided && form.formFor === formKey(stage, entry)) return;
    const drafted = draftDecision({
      review,
      entry,
      view,
      stage,
      reviewer: { ...reviewer, role: reviewer.role.trim() || PASS_ROLES[stage] },
      form: store.get(),
      outcome,
      id: crypto.randomUUID(),
      now: localDateTimeWithZone(new Date().toISOString()),
    });
    if (!drafted.ok) {
      sayNotDrafted(store, drafted, { changeRef, commentRef });
      return;
    }
    // her next record opens only once the decision is stored on this computer (the outbox sends it);
    // the save line stays while it opens, and the outbox's line says when the server has it
    const { id } = drafted.decision;
    const saved = `Saved on this computer: record ${record.id} ${OUTCOME_LABELS[outcome].toLowerCase()}; sending to the team server…`;
    store.dispatch({ type: 'saving', id, status: `Saving on this computer: record ${record.id}…` });
    try {
      await outbox.add(drafted.decision);
    } catch (error) {
      store.dispatch({
        type: 'settled',
        id,
        status: `Not saved: ${(error as Error).message} Nothing was sent: decide again.`,
        failed: true,
      });
      return;
    }
    store.dispatch({
      type: 'settled',
      id,
      status: openToDecide(1) ? saved : `${saved} ${NONE_LEFT}`,
    });
  };

  // the record's view and form keep their props' identity while her list and the outbox's lines
  // change around them, so a decision's saving and sending do not draw them again
  const fields = useMemo(() => (view ? markableFields(view) : []), [view]);
  const leftRegion = useRef<RegionShown | undefined>(undefined);
  const onMark = useCallback((field: string) => store.dispatch({ type: 'mark-row', field }), [store]);
  const latest = useRef<{ decide: typeof decide; go: (delta: number) => void }>({
    decide,
    go: () => undefined,
  });
  latest.current.decide = decide;
  const onDecide = useCallback((outcome: Outcome) => void latest.current.decide(outcome), []);
  const onGo = useCallback((delta: number) => latest.current.go(delta), []);

  if (error && !assigned) return <p role="alert">{error}</p>;
  if (!assigned || !review) return <p role="status">Opening your records…</p>;
  const go = (delta: number) => {
    if (assigned.records[at + delta]) void openAt(at + delta);
  };
  // while her next record opens, the record she left stays in the page, hidden: shown again with
  // the next record's words it is redrawn in place, not built anew at each decision (the record's
  // table and form were most of a decision's work for the page)
  const opening = !error && !opened && !packetShown;
  const showing: RegionShown | undefined =
    opened && view && record && record.pass !== 'adjudication'
      ? {
          label: `Record ${record.id}, ${PASS_WORDS[record.pass]}`,
          view,
          fields,
          own,
          atStart: at === 0,
          atEnd: at >= assigned.records.length - 1,
        }
      : undefined;
  if (showing || !opening) leftRegion.current = showing;
  const shownRegion = showing ?? leftRegion.current;
  latest.current.go = go;
  const keys: ReviewKeyHandlers = {
    accept: () => void decide('accept'),
    reject: () => void decide('reject'),
    'cannot-assess': () => void decide('cannot-assess'),
    next: () => go(1),
    previous: () => go(-1),
    'next-unreviewed': () => {
      if (!openToDecide(1)) store.dispatch({ type: 'say', status: NONE_LEFT });
    },
    'previous-unreviewed': () => {
      if (!openToDecide(-1)) store.dispatch({ type: 'say', status: NONE_LEFT });
    },
    mark: () => fieldRef.current?.focus(),
    list: () => {
      const list = listRef.current;
      list?.scrollIntoView({ block: 'start' });
      (list?.querySelector<HTMLElement>('[aria-current="true"]') ?? list?.querySelector('button'))?.focus();
    },
  };
  return (
    <div className="server-review">
      <p>
        {formatCount(assigned.records.length)} {assigned.records.length === 1 ? 'record' : 'records'} for you
        {assigned.dualReview
          ? ' (a dual review: you do not see the other reviewer’s decision or comment until the adjudicator has ruled on the record or the lead has closed adjudication)'
          : ''}
        .
      </p>
      <label htmlFor={roleId}>Your role or job title (stored with each decision) — optional</label>
      <p id={roleHintId} className="hint">
        Left empty, each decision says the review you hold (for example “First reviewer”). Your signature
        shows your role on this project as the team server holds it.
      </p>
      <input
        id={roleId}
        aria-describedby={roleHintId}
        type="text"
        autoComplete="off"
        value={reviewer.role}
        onChange={(e) =>
          store.dispatch({ type: 'reviewer', reviewer: { ...reviewer, role: e.currentTarget.value } })
        }
      />
      <RecordLines
        records={assigned.records}
        decided={decided}
        current={opened !== undefined || packetShown ? at : -1}
        onOpen={openLine}
        listRef={listRef}
      />
      {error && <p role="alert">{error}</p>}
      {
        // the record she left keeps its room until the next is shown: what is below it stays put
        // and the page does not scroll away and back at each decision
        opening && leftHeight !== undefined && (
          <div className="record-opening" style={{ minHeight: leftHeight }} />
        )
      }
      {record && record.pass !== 'adjudication' && (packetShown ? record.decidedInPacket : shownRegion) && (
        <ReviewRegion
          label={
            packetShown || !shownRegion
              ? `Record ${record.id}, ${PASS_WORDS[record.pass]}`
              : shownRegion.label
          }
          regionRef={regionRef}
          act={keys}
          hidden={!packetShown && opening}
        >
          {packetShown && record.decidedInPacket ? (
            <>
              <h4>
                Record {record.id} ({record.stratum}), {PASS_WORDS[record.pass]}
              </h4>
              <p data-testid="decided-in-packet">{packetSentence(record.decidedInPacket)}</p>
              <p className="hint">
                You do not review it again here. The lead recorded it from your packet, so it is her entry on
                the team server, and your “Sign my review” does not cover it.
              </p>
            </>
          ) : (
            shownRegion && (
              <>
                <ShownRecord view={shownRegion.view} findings={findings} onMark={onMark} />
                <RecordForm
                  form={store}
                  fields={shownRegion.fields}
                  own={shownRegion.own}
                  onDecide={onDecide}
                  onGo={onGo}
                  atStart={shownRegion.atStart}
                  atEnd={shownRegion.atEnd}
                  fieldRef={fieldRef}
                  reasonRef={reasonRef}
                  changeRef={changeRef}
                  commentRef={commentRef}
                />
              </>
            )
          )}
        </ReviewRegion>
      )}
      {opened && view && record && record.pass === 'adjudication' && opened.adjudication && (
        <Adjudicate
          key={opened.record.id}
          opened={opened}
          regionRef={regionRef}
          act={keys}
          ruled={ruled}
          onDecide={async (outcome, comment) => {
            if (!outbox) return false;
            const decision: Decision = {
              id: crypto.randomUUID(),
              planHash: assigned.planHash,
              stratum: record.stratum,
              recordKey: record.recordKey,
              row: opened.shown.source.row,
              ...(opened.shown.source.file === undefined ? {} : { file: opened.shown.source.file }),
              reviewer: {
                ...reviewer,
                name: myName,
                id: assigned.memberId,
                role: reviewer.role.trim() || PASS_ROLES.adjudication,
              },
              decidedAt: localDateTimeWithZone(new Date().toISOString()),
              outcome,
              findings: [],
              ...(comment.trim() ? { comment: comment.trim() } : {}),
              stage: 'adjudication',
              ...(opened.shown.mapping ? { mapping: opened.shown.mapping } : {}),
              shownSha256: opened.adjudication?.shownSha256 as string,
            };
            try {
              await outbox.add(decision);
            } catch (error) {
              setRuled(`Not saved: ${(error as Error).message} Nothing was sent: decide again.`);
              return false;
            }
            const saved = `Saved on this computer: record ${record.id} ${OUTCOME_LABELS[outcome].toLowerCase()}; sending to the team server…`;
            setRuled(openToDecide(1, true) ? saved : `${saved} ${NONE_LEFT}`);
            return true;
          }}
        />
      )}
      <OutboxLines
        queued={queued}
        records={assigned.records}
        onOpen={(recordId) => {
          const index = assigned.records.findIndex((r) => r.id === recordId);
          if (index >= 0) void openAt(index);
        }}
        onDismiss={(decisionId) => outbox?.dismiss(decisionId)}
      />
      {guard.held && <LeaveHeld waiting={queued.pending.length} onStay={guard.stay} onLeave={guard.leave} />}
      <SignatureLines
        session={session}
        projectId={projectId}
        reviewId={reviewId}
        memberId={assigned.memberId}
        waiting={queued.pending.length}
        assigned={assigned.records}
        {...(myRole === undefined ? {} : { myRole })}
      />
    </div>
  );
}

/** "records 4, 5 and 6": the records of `decisions`, by their position in her list. */
function recordsOf(decisions: readonly Decision[], records: readonly AssignedRecord[]): string {
  const ids = decisions.map(
    (d) => records.find((r) => r.stratum === d.stratum && r.recordKey === d.recordKey)?.id ?? '?',
  );
  const listed = ids.length === 1 ? String(ids[0]) : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
  return `${ids.length === 1 ? 'record' : 'records'} ${listed}`;
}

/**
 * What happened to the reviewer's decisions: waiting to be sent (which records, and why when the
 * server cannot be reached or her sign-in ended), recorded, and each one the server refused, in its words, until she
 * opens its record or dismisses it.
 */
function OutboxLines({
  queued,
  records,
  onOpen,
  onDismiss,
}: {
  queued: ServerOutboxState;
  records: readonly AssignedRecord[];
  onOpen: (recordId: number) => void;
  onDismiss: (decisionId: string) => void;
}) {
  const waiting = queued.pending.length;
  const which = waiting > 0 ? ` (${recordsOf(queued.pending, records)})` : '';
  let text = '';
  if (queued.signedOut && waiting > 0)
    text = `${formatCount(waiting)} ${waiting === 1 ? 'decision waits' : 'decisions wait'} on this computer${which}: ${queued.signedOut.replace(/\.$/, '')}.`;
  else if (queued.offline && waiting > 0)
    text = `${formatCount(waiting)} ${waiting === 1 ? 'decision waits' : 'decisions wait'} on this computer: the team server cannot be reached${queued.offlineMessage ? ` (${queued.offlineMessage.replace(/\.$/, '')})` : ''}. They are sent, in order, when it is back${which}.`;
  else if (waiting > 0)
    text = `${formatCount(waiting)} ${waiting === 1 ? 'decision' : 'decisions'} waiting to be sent${which}.`;
  else if (queued.sent.length > 0)
    text = `Recorded on the team server (${formatCount(queued.sent.length)} ${queued.sent.length === 1 ? 'decision' : 'decisions'} this visit).`;
  return (
    <>
      <p role="status" data-testid="server-decisions">
        {text}
      </p>
      {queued.storageError && (
        <p role="alert" className="fail">
          Your decisions cannot be kept on this computer: {queued.storageError} Keep this page open until they
          are recorded on the team server.
        </p>
      )}
      {queued.refused.length > 0 && (
        <ul aria-label="Decisions the team server refused" className="fail">
          {queued.refused.map(({ item, message }) => {
            const record = records.find((r) => r.stratum === item.stratum && r.recordKey === item.recordKey);
            return (
              <li key={item.id} role="alert">
                Not recorded by the team server: record {record?.id ?? '?'} (
                {OUTCOME_LABELS[item.outcome].toLowerCase()}): {message}{' '}
                {record && (
                  <button type="button" onClick={() => onOpen(record.id)}>
                    Open record {record.id}
                  </button>
                )}{' '}
                <button type="button" onClick={() => onDismiss(item.id)}>
                  Dismiss
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** Said when she tries to leave the review with decisions not yet on the team server. */
function LeaveHeld({
  waiting,
  onStay,
  onLeave,
}: {
  waiting: number;
  onStay: () => void;
  onLeave: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div role="alertdialog" aria-label="Decisions not sent yet" ref={ref} tabIndex={-1} className="fail">
      <p>
        {formatCount(waiting)} {waiting === 1 ? 'decision is' : 'decisions are'} not on the team server yet.
        {waiting === 1 ? ' It stays' : ' They stay'} on this computer and {waiting === 1 ? 'is' : 'are'} sent
        when you open this review again — but until then the lead does not see {waiting === 1 ? 'it' : 'them'}
        .
      </p>
      <button type="button" onClick={onStay}>
        Stay until they are sent
      </button>{' '}
      <button type="button" onClick={onLeave}>
        Leave anyway
      </button>
    </div>
  );
}

/**
 * The adjudicator's view: the two decisions, and her own accept or reject with why, in the review
 * region so the keys act as on a reviewer's record: A accepts; R rejects once the comment says why
 * (without one, the comment takes the keyboard and Enter there rejects); C and M say what an
 * adjudication is instead. Moving between records is the session's (`act`).
 */
function Adjudicate({
  opened,
  onDecide,
  regionRef,
  act,
  ruled,
}: {
  opened: OpenedRecord;
  /** resolves true once her ruling is stored on this computer */
  onDecide: (outcome: 'accept' | 'reject', comment: string) => Promise<boolean>;
  regionRef: RefObject<HTMLElement | null>;
  /** the session's keys: moving between records, the list */
  act: ReviewKeyHandlers;
  /** what became of her last ruling */
  ruled: string;
}) {
  const [comment, setComment] = useState('');
  const [said, setSaid] = useState('');
  const commentId = useId();
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const { first, second } = opened.adjudication ?? {};
  const shown = (d: Decision | undefined) =>
    d === undefined
      ? 'no decision'
      : `${d.outcome}${d.findings.length > 0 ? ` (${d.findings.map((f) => `${f.field}: ${f.reason}, ${f.defectClass}`).join('; ')})` : ''}${d.comment ? ` — “${d.comment}”` : ''}`;
  // one ruling per record shown: a double press is the same ruling again
  const ruling = useRef(false);
  const decide = (outcome: 'accept' | 'reject') => {
    if (ruling.current) return;
    ruling.current = true;
    setSaid('');
    void onDecide(outcome, comment).then((kept) => {
      if (!kept) ruling.current = false;
    });
  };
  const reject = () => {
    if (comment.trim()) {
      decide('reject');
      return;
    }
    setSaid('Rejecting this record: write why in the comment, then press Enter.');
    commentRef.current?.focus();
  };
  const keys: ReviewKeyHandlers = {
    ...act,
    accept: () => decide('accept'),
    reject,
    'cannot-assess': () => setSaid('An adjudication accepts or rejects the record: A or R.'),
    mark: () => setSaid('An adjudication marks no field: say why in the comment when you reject.'),
  };
  return (
    <ReviewRegion label={`Record ${opened.record.id}, adjudication`} regionRef={regionRef} act={keys}>
      <AlignedRecord view={viewOfShown(opened.shown)} findings={[]} onMark={() => undefined} />
      <ul aria-label="The two reviews">
        <li>First review: {shown(first)}</li>
        <li>Second review: {shown(second)}</li>
      </ul>
      <label htmlFor={commentId}>Why (needed to reject)</label>
      <textarea
        ref={commentRef}
        id={commentId}
        autoComplete="off"
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Enter rejects once R asked why; Shift+Enter is a new line
          if (e.key !== 'Enter' || e.shiftKey || !said.startsWith('Rejecting') || !comment.trim()) return;
          e.preventDefault();
          decide('reject');
        }}
      />
      <div className="decide-buttons">
        <button type="button" onClick={() => decide('accept')}>
          Accept the record
        </button>
        <button type="button" onClick={reject} disabled={!comment.trim()}>
          Reject the record
        </button>
      </div>
      <p role="status" data-testid="adjudication-said">
        {said || ruled}
      </p>
    </ReviewRegion>
  );
}
