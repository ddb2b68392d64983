/**
 * Which column of a CSV event log is which — the one place the browser's import step and the CLI
 * choose the case, activity, time, lifecycle and resource columns, and say why.
 *
 * Order of evidence: the XES standard names first (`case:concept:name`, `concept:name`,
 * `time:timestamp`, `lifecycle:transition`, `org:resource`, as PM4Py and ProM write a log to CSV);
 * then what each column is: a column the XES convention marks as a case attribute (`case:…`), or
 * whose value never changes within a case, describes the case, not an event, so it is never the
 * event time, the activity or the role (a case's end date is not when each step happened, nor its
 * department where the work moved); only the `case:` prefix rules out who did it (one nurse may see
 * a whole visit); then the column names ({@link MAPPING_NAME_RULES}).
 *
 * Case-level evidence is gathered by {@link createColumnEvidence} over rows — the whole log
 * ({@link scanLogColumns}, streamed) or the preview's first rows. Per case it keeps one 32-bit hash
 * per column still constant, never a cell value (cells may be patient data). Pure (no DOM, no Node).
 */
import { createCsvRecordReader, createUtf8StreamDecoder, sniffHeader } from '../../csv/index.ts';
import type { LogInput } from './csvLog.ts';
import type { ColumnMapping } from './readEvents.ts';

/** The XES standard attribute names of an event log written as a table (PM4Py, ProM). */
const XES_COLUMNS = {
  case: 'case:concept:name',
  activity: 'concept:name',
  timestamp: 'time:timestamp',
  lifecycle: 'lifecycle:transition',
  resource: 'org:resource',
  role: 'org:role',
} as const;

/** What the rows say about the columns, relative to one case column. */
export interface ColumnEvidence {
  /** the case column the evidence is relative to */
  caseColumn: string;
  /** data rows looked at */
  rows: number;
  /** distinct cases among them */
  cases: number;
  /** gathered on the whole log (else on its first rows) */
  whole: boolean;
  /** cases with two rows or more: only they can show a column changing within a case */
  repeatedCases: number;
  /**
   * columns whose value is the same on every row of every case, when at least
   * {@link MIN_REPEATED_CASES} cases have two rows or more (else nothing is known): case
   * attributes, not event attributes
   */
  caseLevel: string[];
}

/**
 * Cases of two rows or more needed before a column constant within every case is called a case
 * attribute: one case of a start and a complete of one activity says nothing about the activity.
 */
export const MIN_REPEATED_CASES = 5;

/** A streaming gatherer of {@link ColumnEvidence}: add each data row's cells, then ask. */
interface ColumnEvidenceGatherer {
  add(fields: readonly string[]): void;
  result(whole: boolean): ColumnEvidence;
}

/** FNV-1a over UTF-16 code units: a value's stand-in, so no cell is held. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Gathers which columns are constant within every case of `caseColumn` (trimmed names match).
 * Memory: one small array per case, holding hashes of the columns not yet seen to vary.
 */
export function createColumnEvidence(header: readonly string[], caseColumn: string): ColumnEvidenceGatherer {
  const names = header.map((h) => h.trim());
  const caseAt = names.indexOf(caseColumn.trim());
  const varies = names.map((_, i) => i === caseAt);
  const perCase = new Map<string, Int32Array>();
  const count = names.length;
  let rows = 0;
  let repeated = 0;
  return {
    add(fields) {
      rows++;
      if (caseAt < 0) return;
      const id = (fields[caseAt] ?? '').trim();
      const seen = perCase.get(id);
      if (!seen) {
        // the last slot counts the case's rows
        const values = new Int32Array(count + 1);
        values[count] = 1;
        for (let i = 0; i < names.length; i++) if (!varies[i]) values[i] = hash((fields[i] ?? '').trim());
        perCase.set(id, values);
        return;
      }
      if (seen[count] === 1) repeated++;
      seen[count] = (seen[count] as number) + 1;
      for (let i = 0; i < names.length; i++) {
        if (varies[i]) continue;
        if (seen[i] !== hash((fields[i] ?? '').trim())) varies[i] = true;
      }
    },
    result(whole) {
      return {
        caseColumn,
        rows,
        cases: perCase.size,
        whole,
        repeatedCases: repeated,
        caseLevel: caseAt < 0 || repeated < MIN_REPEATED_CASES ? [] : names.filter((_, i) => !varies[i]),
      };
    },
  };
}

/**
 * Reads the whole CSV log in `input` (streamed, in chunks) and gathers {@link ColumnEvidence}
 * for `caseColumn`. @throws as the CSV reader does (not UTF-8, a record too long)
 */
export async function scanLogColumns(
  input: LogInput,
  caseColumn: string,
  chunkBytes = 1024 * 1024,
): Promise<ColumnEvidence> {
  const first = await input.read(0, Math.min(64 * 1024, input.size));
  const { delimiter } = sniffHeader(first.slice());
  let gatherer: ColumnEvidenceGatherer | undefined;
  const records = createCsvRecordReader({
    delimiter,
    onRecord: (_row, fields) => {
      if (!gatherer) {
        if (!records.header) return;
        gatherer = createColumnEvidence(records.header, caseColumn);
      }
      gatherer.add(fields);
    },
  });
  const decoder = createUtf8StreamDecoder(input.name);
  for (let offset = 0; offset < input.size; ) {
    const bytes = await input.read(offset, Math.min(chunkBytes, input.size - offset));
    if (bytes.byteLength === 0) break;
    records.push(decoder.decode(bytes));
    offset += bytes.byteLength;
  }
  records.push(decoder.end());
  records.finish();
  gatherer ??= createColumnEvidence(records.header ?? [], caseColumn);
  return gatherer.result(true);
}

/** What a column looked like in the first rows (see `PreviewColumn` in logPreview.ts). */
export interface ColumnFacts {
  name: string;
  /** most sampled cells are times (or dates that could be day/month or month/day) */
  time: boolean;
  /** the sampled cells are lifecycle words */
  lifecycle: boolean;
  filled: number;
}

/** The chosen columns and the reasons, in words (the import screen's note, the CLI's stderr). */
export interface LogColumnChoice {
  mapping: ColumnMapping;
  /** one sentence per chosen or passed-over column: which, and why */
  reasons: string[];
}

/**
 * Name patterns per mapping role, tried in order on the lower-cased column name; the first column
 * matching a role (and not already taken) is proposed. Data, so adding a synonym is one line.
 */
export const MAPPING_NAME_RULES: ReadonlyArray<{
  role: 'case' | 'activity' | 'resource' | 'role' | 'system';
  pattern: RegExp;
}> = [
  { role: 'case', pattern: /^(case|case[ _-]?id|caseid|trace|trace[ _-]?id)$/ },
  { role: 'case', pattern: /(patient|encounter|visit|episode|admission|order)[ _-]?(id|number|no)?$/ },
  { role: 'case', pattern: /case/ },
  { role: 'activity', pattern: /^(activity|activity[ _-]?name|concept:name|event|task|action|step)$/ },
  { role: 'activity', pattern: /activit|handling|event[ _-]?name|task|action|step/ },
  { role: 'resource', pattern: /^(resource|org:resource|user|employee|staff|performer|who)$/ },
  { role: 'resource', pattern: /resource|employee|user|staff|performer|clinician|operator/ },
  { role: 'role', pattern: /^(role|org:role|lane|job[ _-]?title|department)$/ },
  { role: 'system', pattern: /^(system|application|app|source[ _-]?system)$/ },
];

const START_NAME = /start|begin/;
const COMPLETE_NAME = /complete|end|finish|stop/;

/**
 * The time column beside the XES event time that holds when each event started, by its name
 * (`start_timestamp`, `start time`), or undefined: Simod, Prosimos, PM4Py and the waiting-time
 * tools write an interval log so, in CSV and XES alike (`xesStartKey` in xesLog.ts).
 */
export function startColumnBeside(timeColumns: readonly string[], timestamp: string): string | undefined {
  return timeColumns.find((c) => c !== timestamp && START_NAME.test(c.toLowerCase()));
}

/** True when the XES convention names `column` a case (trace) attribute: `case:…`. */
function isXesCaseAttribute(column: string): boolean {
  const name = column.trim().toLowerCase();
  return name.startsWith('case:') && name !== XES_COLUMNS.case;
}

/** `"a", "b", "c" and 2 more`: column names in a sentence, at most three. */
function listed(columns: readonly ColumnFacts[]): string {
  const names = columns.slice(0, 3).map((c) => `"${c.name}"`);
  return columns.length > 3 ? `${names.join(', ')} and ${columns.length - 3} more` : names.join(', ');
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b;
}

/**
 * Chooses the columns of a CSV log (see the file header). `caseColumn` is the case column
 * already chosen (by name and by how many values it has); `evidence`, when given, is relative to it.
 */
export function chooseLogColumns(
  columns: readonly ColumnFacts[],
  caseColumn: string | undefined,
  evidence?: ColumnEvidence,
): LogColumnChoice {
  const reasons: string[] = [];
  const measured = evidence && evidence.caseColumn === caseColumn ? evidence : undefined;
  const caseLevelByRows = new Set(measured?.caseLevel ?? []);
  const where = measured
    ? `${measured.whole ? 'in the whole log' : `in the first ${measured.rows.toLocaleString('en-US')} rows`} (${measured.cases.toLocaleString('en-US')} cases)`
    : '';
  const caseLevel = (c: ColumnFacts) => isXesCaseAttribute(c.name) || caseLevelByRows.has(c.name);

  const taken = new Set<string>(caseColumn ? [caseColumn] : []);
  const standard = (name: string) => columns.find((c) => same(c.name, name) && !taken.has(c.name));
  const take = <C extends ColumnFacts | undefined>(c: C): C => {
    if (c) taken.add(c.name);
    return c;
  };
  const event = columns.filter((c) => !caseLevel(c));
  const passedOverTimes = columns.filter((c) => c.time && caseLevel(c) && c.name !== caseColumn);

  // times and the lifecycle are taken first, so no name rule proposes them for another role
  const xesTime = take(standard(XES_COLUMNS.timestamp));
  const xesLifecycle = take(standard(XES_COLUMNS.lifecycle));
  const lifecycle =
    xesLifecycle && xesLifecycle.filled > 0
      ? xesLifecycle
      : take(event.find((c) => c.lifecycle && c.filled > 0 && !taken.has(c.name)));
  const timeColumns = event.filter((c) => c.time && !taken.has(c.name));
  for (const c of columns) if (c.time) taken.add(c.name);

  // who did it may be the same all through a case (one nurse per visit): only the "case:" prefix rules it out
  const eventByName = columns.filter((c) => !isXesCaseAttribute(c.name));
  // a role is where the work moves between people (a lane): one that never changes within a case
  // (the case's department) is the case's, not the event's, and is passed over, said below
  const pick = (role: (typeof MAPPING_NAME_RULES)[number]['role']): ColumnFacts | undefined => {
    const among = role === 'activity' || role === 'role' ? event : eventByName;
    for (const rule of MAPPING_NAME_RULES) {
      if (rule.role !== role) continue;
      const found = among.find((c) => !taken.has(c.name) && rule.pattern.test(c.name.toLowerCase()));
      if (found) return take(found);
    }
    return undefined;
  };
  const xesActivity = take(standard(XES_COLUMNS.activity));
  const activity = xesActivity ?? pick('activity');
  const xesResource = take(standard(XES_COLUMNS.resource));
  const resource = xesResource ?? pick('resource');
  const xesRole = take(standard(XES_COLUMNS.role));
  const role = xesRole ?? pick('role');
  const roleRule = MAPPING_NAME_RULES.find((rule) => rule.role === 'role');
  const passedOverRole = role
    ? undefined
    : columns.find(
        (c) =>
          caseLevelByRows.has(c.name) && !taken.has(c.name) && roleRule?.pattern.test(c.name.toLowerCase()),
      );
  const system = pick('system');

  let times: Partial<ColumnMapping> = {};
  // Simod, Prosimos and the waiting-time analysis tools write a start column beside the XES time
  const xesStartName =
    xesTime && !lifecycle
      ? startColumnBeside(
          timeColumns.map((c) => c.name),
          xesTime.name,
        )
      : undefined;
  const xesStart = timeColumns.find((c) => c.name === xesStartName);
  if (xesTime && xesStart) {
    times = { start: xesStart.name, complete: xesTime.name };
    reasons.push(
      `Each event starts at "${xesStart.name}" (its name says so) and is completed at "${xesTime.name}" (the XES standard name).`,
    );
  } else if (xesTime) {
    times = { timestamp: xesTime.name };
    reasons.push(`The time of each event is "${xesTime.name}" (the XES standard name).`);
  } else {
    const start = timeColumns.find((c) => START_NAME.test(c.name.toLowerCase()));
    const complete = timeColumns.find((c) => c !== start && COMPLETE_NAME.test(c.name.toLowerCase()));
    if (!lifecycle && start && complete) {
      times = { start: start.name, complete: complete.name };
      reasons.push(
        `Each event starts at "${start.name}" and is completed at "${complete.name}" (their names say so${measured ? '; both change within a case' : ''}).`,
      );
    } else {
      const time =
        timeColumns.find((c) => /time|date/.test(c.name.toLowerCase()) && c !== start) ?? timeColumns[0];
      if (time) {
        times = { timestamp: time.name };
        reasons.push(
          `The time of each event is "${time.name}" (it holds times${measured ? ' that change within a case' : ''}).`,
        );
      }
    }
  }
  if (lifecycle) {
    times = times.timestamp ? { ...times, lifecycle: lifecycle.name } : times;
  }
  // the time columns passed over, said in two groups: by the XES prefix, by the rows
  const byPrefix = passedOverTimes.filter((c) => isXesCaseAttribute(c.name));
  const byRows = passedOverTimes.filter((c) => !isXesCaseAttribute(c.name));
  if (byPrefix.length > 0) {
    reasons.push(
      `${listed(byPrefix)} ${byPrefix.length === 1 ? 'holds times but is' : 'hold times but are'} not the event time: the "case:" prefix marks a case attribute (the XES convention).`,
    );
  }
  if (byRows.length > 0) {
    reasons.push(
      `${listed(byRows)} ${byRows.length === 1 ? 'holds times but is' : 'hold times but are'} not the event time: ${byRows.length === 1 ? 'its value never changes' : 'their values never change'} within a case ${where}.`,
    );
  }
  if (activity) {
    reasons.push(
      `The activity is "${activity.name}" (${activity === xesActivity ? 'the XES standard name' : 'its name says so'}).`,
    );
  }
  if (passedOverRole) {
    reasons.push(
      `"${passedOverRole.name}" is not proposed as the role: its value never changes within a case ${where}, so it cannot show the work moving between roles.`,
    );
  }
  return {
    mapping: {
      // an unknown column stays empty for the user to choose; never a made-up name
      case: caseColumn ?? '',
      activity: activity?.name ?? '',
      ...times,
      ...(resource ? { resource: resource.name } : {}),
      ...(role ? { role: role.name } : {}),
      ...(system ? { system: system.name } : {}),
    },
    reasons,
  };
}
