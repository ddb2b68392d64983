/**
 * The line under a review sent to a team project that says where its figures come from: the
 * team server's record, as read when (its decisions and signatures), or why it could not be read,
 * with a way to read it again now. Nothing for a review that is not on a team server.
 */
import { asSentence, checkedWhen, plural } from '../common/format.ts';
import type { ServerRecord } from './useServerRecord.ts';

export function ServerRecordLine({ record }: { record: ServerRecord }) {
  const { state, keepInStep } = record;
  if (state.phase === 'local') return null;
  const text =
    state.phase === 'reading'
      ? 'Reading the team server’s record of this sample…'
      : state.phase === 'in-step'
        ? `This review is the team server’s record: ${plural(state.decisions, 'decision')} and ${plural(state.signatures, 'signature')} made there, read ${checkedWhen(state.readAt)}.`
        : `This review may be behind the team server’s record: ${asSentence(state.message)}`;
  return (
    <p role="status" data-testid="server-record" className={state.phase === 'refused' ? 'fail' : undefined}>
      {text}{' '}
      <button
        type="button"
        onClick={() => void keepInStep().catch(() => undefined)}
        disabled={state.phase === 'reading'}
      >
        Read it again
      </button>
    </p>
  );
}
