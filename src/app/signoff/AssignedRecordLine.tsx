/**
 * One line of a team reviewer's record list ("My assigned records", AssignedRecords.tsx): the
 * record's button, which opens it, and what is known of it — not sent yet, decided by her, or
 * decided in her offline packet. Its props are plain values and one opener that keeps its
 * identity, so the list (memoised by its screen) redraws only the lines a decision changes, not
 * every record of a long review at each key.
 */

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
}) {
  return (
    <li>
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
