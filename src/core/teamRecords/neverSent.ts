/**
 * What never goes to the team server: extracts, reports with record content, failing-row files
 * and event logs. The kinds' schemas (kinds.ts) already leave no room for them in most records;
 * this guard also refuses, in any record, the fields that carry record content in Preflight's
 * own files — a report's issues with their examples, its profiles and cross-file findings, a
 * failing-row file's rows, an event log's events — and anything tagged as a report or review
 * packet. The server runs it on every write; the app runs it before queueing one, so a record
 * that would be refused is said at once instead of waiting in the queue.
 *
 * Constraint: the answer names the field's place, never its value.
 */

/** Field names that hold record content in Preflight's files (report, failing rows, event log). */
const RECORD_CONTENT_FIELDS: ReadonlySet<string> = new Set([
  'examples',
  'failingRows',
  'failing',
  'crossFile',
  'profiles',
  'duplicateKeys',
  'orphanReferences',
  'events',
  'cells',
  'sampledRecords',
]);

/** Format tags of files that carry record content as a whole. */
const CONTENT_FORMATS =
  /^preflight\.(report|reviewpacket|encryptedpacket|reviewresults|failingrows|eventlog)\//;

/**
 * The place of the first record content in `body`, with why, or undefined when there is none.
 * Walks the whole body (bounded by the server's depth limit).
 */
export function recordContentProblem(body: unknown, path = ''): string | undefined {
  if (Array.isArray(body)) {
    for (const [i, item] of body.entries()) {
      const found = recordContentProblem(item, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  for (const [key, value] of Object.entries(body)) {
    const at = `${path}/${key}`;
    if (RECORD_CONTENT_FIELDS.has(key))
      return `${at} may hold values from the extract or the event log, which are never sent to the team server`;
    if (key === 'format' && typeof value === 'string' && CONTENT_FORMATS.test(value))
      return `${at}: a whole ${value.split('/')[0]?.replace('preflight.', '')} is never sent to the team server; only a report's summary and SHA-256s are`;
    const found = recordContentProblem(value, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
