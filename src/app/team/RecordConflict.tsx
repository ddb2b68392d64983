/**
 * A change someone else made first to a shared record, told in words: who changed it and when,
 * each field that differs with their value and yours — values as a person reads them, never as
 * JSON — and the choice of which to keep. `ConflictBeside` shows it next to the form that holds
 * the record (the place marks itself, so the top bar only summarises and leads here);
 * `ConflictChoice` is the same choice, for the top bar when no form on screen holds the record.
 */
import { useState } from 'react';
import {
  KIND_RULES,
  type RecordConflict,
  recordKey,
  type SharedRecordKind,
} from '../../core/teamRecords/index.ts';
import {
  conflictPlaceId,
  type PublishedConflicts,
  useRecordConflict,
  useRecordPlace,
} from './recordConflicts.ts';

/** A field's key as words: `minSteering` → "min steering", `goLiveDate` → "go live date". */
export function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
}

/** The longest a value is shown before it is cut (a long list stays readable). */
const MAX_VALUE_CHARS = 240;

/** A value as a person reads it: text as it is, yes/no, lists and records spelled out by field. */
export function valueWords(value: unknown): string {
  const words = (v: unknown): string => {
    if (v === undefined || v === null) return 'nothing';
    if (typeof v === 'string') return v === '' ? 'nothing' : v;
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(words).join('; ');
    if (typeof v === 'object')
      return Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${keyWords(k)} ${words(x)}`)
        .join(', ');
    return String(v);
  };
  const text = words(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** The fields of a list's row that name it, in this order: the first every row has, unique. */
const ROW_NAMES = ['id', 'item', 'role', 'name', 'title', 'area'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How the rows of two lists pair: by a naming field (`ROW_NAMES`) when every row of both has it,
 * unique in each list, else by position; each pair with the row's name in words.
 */
function pairedRows(mine: readonly unknown[], theirs: readonly unknown[]): [string, unknown, unknown][] {
  const named = ROW_NAMES.find((key) =>
    [mine, theirs].every((rows) => {
      const names = rows.map((r) => (isRecord(r) ? r[key] : undefined));
      return names.every((n) => typeof n === 'string' && n !== '') && new Set(names).size === names.length;
    }),
  );
  if (named === undefined) {
    const rows = Math.max(mine.length, theirs.length);
    return Array.from({ length: rows }, (_, i) => [`row ${i + 1}`, mine[i], theirs[i]]);
  }
  const nameOf = (r: unknown) => String((r as Record<string, unknown>)[named]);
  const names = [...new Set([...mine.map(nameOf), ...theirs.map(nameOf)])];
  return names.map((name) => [
    `“${name}”`,
    mine.find((r) => nameOf(r) === name),
    theirs.find((r) => nameOf(r) === name),
  ]);
}

/**
 * The fields that differ between two bodies (the whole record when they are not records); a list
 * field by the rows that differ ("steps “freeze”"), a row only one side has as "nothing" on the
 * other, so a long list reads as its change, not as itself twice.
 */
export function differences(
  mine: unknown,
  theirs: unknown,
): { field: string; mine: string; theirs: string }[] {
  if (!isRecord(mine) || !isRecord(theirs))
    return [
      {
        field: 'the whole record',
        mine: mine === null ? 'removed' : valueWords(mine),
        theirs: theirs === null ? 'removed' : valueWords(theirs),
      },
    ];
  const fields = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])];
  return fields
    .filter((f) => !same(mine[f], theirs[f]))
    .flatMap((field) => {
      const m = mine[field];
      const t = theirs[field];
      if (Array.isArray(m) && Array.isArray(t))
        return pairedRows(m, t)
          .filter(([, a, b]) => !same(a, b))
          .map(([row, a, b]) => ({
            field: `${keyWords(field)} ${row}`,
            mine: valueWords(a),
            theirs: valueWords(b),
          }));
      return [{ field: keyWords(field), mine: valueWords(m), theirs: valueWords(t) }];
    });
}

const kindWord = (kind: SharedRecordKind) => KIND_RULES[kind].one;
/** A record's name, else its id. */
export const recordName = (body: unknown, id: string) => {
  const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : id;
};

/** The choice between both versions of `conflict` (see the header); `what` names the record. */
export function ConflictChoice({
  conflict,
  settle,
  what,
}: {
  conflict: RecordConflict;
  settle: PublishedConflicts['settle'];
  what?: string;
}) {
  const { mine, theirs } = conflict;
  const [busy, setBusy] = useState(false);
  const choose = async (choice: 'mine' | 'theirs') => {
    setBusy(true);
    try {
      await settle(recordKey(mine), choice);
    } finally {
      setBusy(false);
    }
  };
  const plain = `${kindWord(mine.kind)} ${recordName(mine.body ?? theirs.body, mine.id)}`;
  const name = what ?? `${kindWord(mine.kind)} “${recordName(mine.body ?? theirs.body, mine.id)}”`;
  const at = theirs.at.replace('T', ' ').slice(0, 16);
  return (
    <section className="record-conflict" aria-label={`Both versions of ${what ?? plain}`}>
      <p>
        {theirs.by} changed the {name} on the team server ({at} UTC) while you were changing it here. Nothing
        was overwritten: choose which version to keep.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">What differs</th>
            <th scope="col">{theirs.by}’s value</th>
            <th scope="col">Your value</th>
          </tr>
        </thead>
        <tbody>
          {differences(mine.body, theirs.body).map((d) => (
            <tr key={d.field}>
              <th scope="row">{d.field}</th>
              <td>{d.theirs}</td>
              <td>{d.mine}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={busy} onClick={() => void choose('mine')}>
        Keep my version
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => void choose('theirs')}>
        Keep {theirs.by}’s version
      </button>
      {KIND_RULES[mine.kind].put === undefined && (
        <p className="team-note">
          Keeping {theirs.by}’s version leaves it on the team server; this browser’s copy keeps its own{' '}
          {kindWord(mine.kind)}, and sends it only once it changes.
        </p>
      )}
    </section>
  );
}

/**
 * The conflict of record `kind`/`id`, if any, where the form that holds it is (see the header);
 * `what` names the record as the form does ("go/no-go meeting record").
 */
export function ConflictBeside({ kind, id, what }: { kind: SharedRecordKind; id: string; what: string }) {
  useRecordPlace(kind, id);
  const found = useRecordConflict(kind, id);
  if (found === undefined) return null;
  return (
    <div id={conflictPlaceId(kind, id)} tabIndex={-1} role="alert" data-testid="conflict-beside">
      <ConflictChoice conflict={found.conflict} settle={found.settle} what={what} />
    </div>
  );
}
