/**
 * The sample's records as a list beside the record in view: each with where it stands for this
 * reviewer (not reviewed, accepted, rejected, cannot assess, in adjudication) and, on a plan
 * stratified by validation, a "flagged" mark; filtered by state, stratum (with more than one) and
 * flag (when any record is flagged), and a click (or Enter) opens it. The keyboard's U and Shift+U (next and previous record still to
 * review) and L (to this list) are the record screen's; this list shows where they lead.
 */
import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import {
  filterList,
  type ListedRecord,
  type ListedState,
  listCounts,
} from '../../core/signoff/review/index.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { formatCount } from '../common/format.ts';
import { LISTED_LABELS } from './reviewLabels.ts';

const STATES = Object.keys(LISTED_LABELS) as ListedState[];

export function RecordList({
  list,
  index,
  onOpen,
  navRef,
}: {
  list: readonly ListedRecord[];
  /** the list's landmark, for the record screen's "Record list" (its current record takes focus) */
  navRef?: RefObject<HTMLElement | null>;
  /** the record in view */
  index: number;
  onOpen: (index: number) => void;
}) {
  const ids = { filter: useId(), stratum: useId(), flagged: useId() };
  const [filter, setFilter] = useState<ListedState | ''>('');
  const [stratum, setStratum] = useState('');
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const counts = listCounts(list);
  const shown = filterList(list, {
    ...(filter ? { state: filter } : {}),
    ...(stratum ? { stratum } : {}),
    ...(flaggedOnly ? { flagged: true } : {}),
  });
  const strataIds = [...new Set(list.map((r) => r.stratum))];
  const strata = strataIds.length;
  const flaggedCount = list.filter((r) => r.flagged).length;
  const currentRef = useRef<HTMLButtonElement>(null);
  // the record in view stays in sight in the list's own scroll box (not the page's)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another record is in view or the filter changes
  useEffect(() => {
    const button = currentRef.current;
    const box = button?.closest('ol');
    if (!button || !box) return;
    // the list is positioned (signoff.css), so a button's offsetTop is measured from its top
    const top = button.offsetTop;
    if (top < box.scrollTop || top + button.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = Math.max(0, top - box.clientHeight / 2);
  }, [index, filter, stratum, flaggedOnly]);
  const reviewed = list.length - counts['not-reviewed'];
  return (
    <nav ref={navRef} className="record-list" aria-label="Records of the sample">
      <p className="record-list-head">
        <strong data-testid="list-progress">
          {formatCount(reviewed)} of {formatCount(list.length)} reviewed
        </strong>
        <label htmlFor={ids.filter}>Show</label>
        <select
          id={ids.filter}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value as ListedState | '')}
        >
          <option value="">All records ({formatCount(list.length)})</option>
          {STATES.map((state) => (
            <option key={state} value={state}>
              {LISTED_LABELS[state]} ({formatCount(counts[state])})
            </option>
          ))}
        </select>
        {strata > 1 && (
          <>
            <label htmlFor={ids.stratum}>Stratum</label>
            <select id={ids.stratum} value={stratum} onChange={(e) => setStratum(e.currentTarget.value)}>
              <option value="">Every stratum</option>
              {strataIds.map((id) => (
                <option key={id} value={id}>
                  {id} ({formatCount(list.filter((r) => r.stratum === id).length)})
                </option>
              ))}
            </select>
          </>
        )}
        {flaggedCount > 0 && (
          <label htmlFor={ids.flagged}>
            <input
              id={ids.flagged}
              type="checkbox"
              checked={flaggedOnly}
              onChange={(e) => setFlaggedOnly(e.currentTarget.checked)}
            />{' '}
            Flagged by validation only ({formatCount(flaggedCount)})
          </label>
        )}
      </p>
      {shown.length === 0 ? (
        <p>No record matches what is chosen above.</p>
      ) : (
        <ol aria-label="Sampled records">
          {shown.map((r) => (
            <li key={r.index} className={`listed listed-${r.state}`}>
              <button
                type="button"
                ref={r.index === index ? currentRef : undefined}
                aria-current={r.index === index ? 'true' : undefined}
                onClick={() => onOpen(r.index)}
              >
                <span className="listed-number">{r.index + 1}</span>{' '}
                <span className="listed-key">
                  <BreakableText text={r.key} />
                </span>
                {strata > 1 && <span className="listed-stratum"> · stratum {r.stratum}</span>}
                <span className="listed-state">
                  {' '}
                  {LISTED_LABELS[r.state]}
                  {r.findings > 0 ? ` · ${r.findings} marked` : ''}
                  {r.flagged ? ' · flagged by validation' : ''}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
