/**
 * One line of a team reviewer's record list ("My assigned records", AssignedRecords.tsx): the
 * record's button, which opens it, and what is known of it — not sent yet, decided by her, or
 * decided in her offline packet. Its props are plain values and one opener that keeps its
 * identity, so the list (memoised by its screen) redraws only the lines a decision changes, not
 * every record of a long review at each key.
 */

import type { CSSProperties } from 'react';

/** What her list says of a record beside its name. */
export type RecordLineState = 'to decide' | 'decided' | 'decided in packet';

export function AssignedRecordLine({
  index,
  id,
  stratum,
  pass,
  sent,
  state,
  current,
  onOpen,
  of,
  away,
}: {
  /** its place in her list, given back to `onOpen` */
  index: number;
  id: number;
  stratum: string;
  /** her pass on it, in words ("first review") */
  pass: string;
  sent: boolean;
  state: RecordLineState;
  /** it is the record in view */
  current: boolean;
  onOpen: (index: number) => void;
  /**
   * the length of her whole list, when only the lines in sight are drawn: a screen reader then
   * says the line's place in the whole list ("12 of 5,000"), not in the lines drawn, and its
   * number is its place
   */
  of?: number;
  /** where it is drawn out of the list's flow (the record in view, scrolled away from) */
  away?: CSSProperties;
}) {
  return (
    <li
      {...(of === undefined ? {} : { value: index + 1, 'aria-setsize': of, 'aria-posinset': index + 1 })}
      {...(away === undefined ? {} : { style: away, 'data-away': '' })}
    >
      <button type="button" aria-current={current ? 'true' : undefined} onClick={() => onOpen(index)}>
        Record {id} ({stratum}), {pass}
        {sent ? '' : ' — not sent yet'}
        {state === 'decided'
          ? ' — decided'
          : state === 'decided in packet'
            ? ' — decided in your offline packet'
            : ''}
      </button>
    </li>
  );
}
