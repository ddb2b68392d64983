/**
 * Choosing how an object-centric (OCEL 2.0) log is read: the object type whose objects are the
 * cases (each type has its own map), the time zone of times written without one, the rule for
 * events at the same instant, links to objects the log never declares, and what the reader did
 * not use from the file. Shown by `LogSourceForm` in place of the column mapping; names come from
 * the file and are shown as text (React escapes them), never values.
 */
import { useId } from 'react';
import type { LogReading } from '../../../../workers/eventLogApi.ts';
import type { ReaderAccount } from '../../../core/readerAccount/index.ts';
import {
  OCEL_KIND_WORDS,
  type OcelSummary,
  type ReadLogOptions,
} from '../../../core/workflow/eventlog/index.ts';
import { formatBytes, formatCount, plural } from '../../common/format.ts';

/** The object type choice and what the file holds; `onRead` receives every change of the reading options. */
export function OcelSourceFields({
  file,
  summary,
  read,
  onRead,
}: {
  file: File;
  summary: OcelSummary;
  read: ReadLogOptions;
  onRead: (read: ReadLogOptions) => void;
}) {
  const typeId = useId();
  const hintId = useId();
  const zoneId = useId();
  const objectType = read.mapping.case;
  return (
    <>
      <p>
        {file.name} ({formatBytes(file.size)}, {OCEL_KIND_WORDS[summary.kind]}
        ): an object-centric log of {plural(summary.events, 'event')} about{' '}
        {plural(summary.objectTypes.length, 'object type')}.
      </p>
      <div className="field">
        <label htmlFor={typeId}>Object type (each object of this type is one case)</label>
        <select
          id={typeId}
          value={objectType}
          aria-describedby={hintId}
          onChange={(e) => onRead({ ...read, mapping: { ...read.mapping, case: e.target.value } })}
        >
          <option value="">Choose an object type</option>
          {summary.objectTypes.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} — {plural(t.objects, 'object')}, {plural(t.events, 'event')}
            </option>
          ))}
        </select>
        <p className="field-hint" id={hintId}>
          Each object type has its own map: a case is one object of the type you choose, and its events are
          the events linked to it. An event linked to objects of several types is on each of their maps.
        </p>
      </div>
      <OcelRules summary={summary} />
      <div className="field">
        <label htmlFor={zoneId}>Time zone of times without one</label>
        <input
          autoComplete="off"
          id={zoneId}
          type="text"
          value={read.timeZone ?? 'UTC'}
          spellCheck={false}
          onChange={(e) => onRead({ ...read, timeZone: e.target.value })}
        />
        <p className="field-hint">UTC, an offset such as +02:00, or a place such as America/Chicago.</p>
      </div>
      <AccountList account={summary.account} />
    </>
  );
}

/** The rule for events at the same instant, and the links to undeclared objects when there are any. */
function OcelRules({ summary }: { summary: Pick<OcelSummary, 'sameInstant' | 'undeclared'> }) {
  const { links, objects } = summary.undeclared;
  return (
    <>
      <p className="log-note">{summary.sameInstant}</p>
      {links > 0 && (
        <p className="log-note" role="status">
          {plural(links, 'link')} from events to {plural(objects, 'object')} the log never declares: with no
          type, {links === 1 ? 'it is' : 'they are'} on no object type's map.
        </p>
      )}
    </>
  );
}

/**
 * What the reader saw in the file and did not use (or used by a stated choice), with counts:
 * folded, as it can run to dozens of lines, with their number on the fold.
 */
export function AccountList({ account }: { account: ReaderAccount }) {
  if (account.lines.length === 0) return null;
  return (
    <details className="log-account">
      <summary>What Preflight did not use from this file ({plural(account.lines.length, 'item')})</summary>
      <ul>
        {account.lines.map((line) => (
          <li key={`${line.handling}:${line.kind}:${line.name}`}>
            <code>{line.name}</code> ({line.kind}, seen{' '}
            {line.count === 1 ? 'once' : `${formatCount(line.count)} times`}
            ): {line.effect}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * Said with a result read from an object-centric log: the object type of the map, the events on
 * no map of it, and the rule for events at the same instant.
 */
export function OcelReadingNote({ reading }: { reading: LogReading }) {
  const ocel = reading.ocel;
  if (!ocel) return null;
  return (
    <div className="log-note" role="status">
      <p>
        Map of object type “{ocel.objectType}”: each object of this type is a case.{' '}
        {ocel.eventsNotOnMap > 0
          ? `${plural(ocel.eventsNotOnMap, 'event')} of the log's ${formatCount(ocel.events)} ${ocel.eventsNotOnMap === 1 ? 'is' : 'are'} linked to no object of this type and not on this map.`
          : 'Every event of the log is on this map.'}
      </p>
      <OcelRules summary={ocel} />
    </div>
  );
}
