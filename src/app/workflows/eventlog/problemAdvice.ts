/**
 * What each log problem means on this screen and what to do about it here, by problem code. The
 * core's messages speak the CLI's options ("--timestamp-format dmy"); these speak the form's
 * fields. Keyed by every code, so a new code fails the typecheck until it has words here.
 * Positions (rows) are added by the screen; no text here quotes a cell.
 */
import type { LogProblemCode } from '../../../core/workflow/eventlog/index.ts';

/** The advice per problem code. */
export const PROBLEM_ADVICE: Readonly<Record<LogProblemCode, string>> = {
  'missing-case-id': 'These rows have no case id. Fill them in the file, or leave the rows out below.',
  'missing-activity':
    'These rows say nothing about what was done. Fill them in the file, or leave the rows out below.',
  'unparseable-timestamp':
    "The time in these rows is empty or not in the log's time format. Fix the cells in the file, choose the right time format above, or leave the rows out below.",
  'out-of-order':
    'Here a completion comes before its start. Check that the start and completion columns (or the start/completion marker) are the right ones, and the time format.',
  'complete-without-start':
    'These rows mark a completion with no earlier start of the same activity in the same case, while other activities in this log do have starts. Check that the start or completion marker is the right column, or leave these rows out below.',
  'start-without-complete':
    'These rows mark a start that never completes in the log. They are kept, without a staff time.',
  'ignored-lifecycle':
    'These rows are marked neither start nor completion (for example "schedule", "assign" or "suspend"), so they are left out: as in Disco and PM4Py, an activity is timed by its start and completion only, and a pause stays inside its time.',
  'too-few-events':
    'Fewer than two usable events are left, too few to see how work flows. Check the columns chosen above and the rows listed here.',
  'missing-column': 'A chosen column is not in the file. Choose the columns again above.',
  'ambiguous-dates':
    'The dates could be day/month or month/day: no day in the first rows is above 12. Choose Day/month/year or Month/day/year as the time format above.',
  'unknown-timestamp-format':
    'The times in the first rows do not share one format Preflight knows. Check that the time column is the right one, or choose its format above.',
  'malformed-csv':
    'A quote mark (") in these rows is not closed or not doubled, so the rows were read as well as possible. Check them in the file.',
  'missing-timestamp':
    'These events have no time, so where they happened in their case cannot be known. They are left out of the workflow; add their times in the source system and export the log again to include them.',
  'malformed-xes': 'The XES file is damaged at these events. Export it again from the source system.',
  'too-many-values':
    'A column kept for filtering has more than 1,000 different values, like an id or free text, so it is not offered as a filter. Untick it above, or keep a column that sorts cases into groups (a department, a payer).',
};
