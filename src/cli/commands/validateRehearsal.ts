/**
 * `validate --compare previous-report.json` and `validate --waivers waivers.json`: a run compared
 * with the previous rehearsal's report, and accepted issues applied to it. Both files are read
 * and checked before any extract is: a previous report or a waivers file that cannot be used is a
 * usage problem (exit 2) named by file and JSON Pointer, never a half-done run.
 *
 * With `--project`, the waivers recorded in the app (`meta.settings.waivers`) apply as the
 * Migration screen applies them ({@link withProjectWaivers}); a `--waivers` file given too adds
 * its waivers, each replacing the project's waiver of the same id, and the summary says which.
 *
 * The rehearsal itself is the core's (src/core/validation/rehearsalRun.ts). With waivers, the exit code counts only the errors no waiver accepted (the run's one verdict,
 * `judgeRun`): accepted
 * problems stay in the report and the summary, marked, but no longer fail the run.
 */

import { previousReportOf, type RehearsalInputs, waiversOfText } from '../../core/validation/index.ts';
import type { CliIo, OptionSpec, ParsedArgs } from '../command.ts';
import { readSmallJsonFile, readSmallTextFile } from '../openFiles.ts';

// the rehearsal itself (waivers applied, the comparison, their words) is the core's
export {
  type RehearsalInputs,
  runFails,
  withProjectWaivers,
  withRehearsal,
  withRehearsalText,
} from '../../core/validation/index.ts';

/** A report or waivers file is small: counts, a few examples, a list. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The options, for the commands that take them. */
export const REHEARSAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'compare',
    type: 'string',
    valueName: 'previous-report.json',
    description: "the previous run's report: each problem is marked fixed, new, still failing or worse",
  },
  {
    name: 'waivers',
    type: 'string',
    valueName: 'waivers.json',
    description:
      'accepted issues (preflight.waivers/v1): reported, marked, failing nothing until they expire',
  },
];

class Unusable extends Error {}

/**
 * Reads `--compare` and `--waivers` (each optional). `{ ok: false, message }` when one cannot be
 * used: unreadable, not JSON, not that format, or refused by its checks.
 */
export async function readRehearsalInputs(
  args: ParsedArgs,
  io: CliIo,
): Promise<{ ok: true; value: RehearsalInputs } | { ok: false; message: string }> {
  const value: RehearsalInputs = {};
  try {
    const compare = args.string('compare');
    if (compare !== undefined) {
      const json = await readSmallJsonFile(
        compare,
        io.cwd,
        { what: 'the previous report', tooLargeFor: 'a validation report', maxBytes: MAX_BYTES },
        (message) => new Unusable(message),
      );
      const loaded = previousReportOf(json, compare);
      if (!loaded.ok) throw new Unusable(loaded.message);
      value.previous = loaded.value;
    }
    const waivers = args.string('waivers');
    if (waivers !== undefined) {
      const about = { what: 'the waivers file', tooLargeFor: 'a waivers file', maxBytes: MAX_BYTES };
      const text = await readSmallTextFile(waivers, io.cwd, about, (message) => new Unusable(message));
      const loaded = await waiversOfText(text, waivers);
      if (!loaded.ok) throw new Unusable(loaded.message);
      value.waivers = loaded.value;
    }
  } catch (error) {
    if (error instanceof Unusable) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, value };
}
