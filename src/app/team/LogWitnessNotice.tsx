/**
 * What this browser's witness of the team server's audit log tells the person in the sharing
 * bar (logWitness.ts): an alarm they act on — the log was changed after this browser or the team
 * saw it, or a time-stamp was taken off — or, on a first sync that had no head of the team's to
 * check against, a note that it trusts the log as shown from now on. The alarm outranks the note.
 */

/** The alarm and the note of the latest witness check, each absent when there is nothing to say. */
export function LogWitnessNotice({ alarm, note }: { alarm?: string | undefined; note?: string | undefined }) {
  if (alarm) return <p role="alert">{alarm}</p>;
  if (note) return <p className="hint">{note}</p>;
  return null;
}
