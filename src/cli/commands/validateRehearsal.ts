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
 * With waivers, the exit code counts only the errors no waiver accepted (the run's one verdict,
 * `judgeRun`): accepted
 * problems stay in the report and the summary, marked, but no longer fail the run.
 */

import path from 'node:path';
import {
  applyWaivers,
  compareReports,
  failingErrors,
  judgeRun,
  loadWaiversText,
  localDay,
  waiverFiles,
} from '../../core/validation/index.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { readProjectWaivers, type Waiver } from '../../formats/waivers.ts';
import type { CliIo, OptionSpec, ParsedArgs } from '../command.ts';
import { jsonProblemMessage, readSmallJsonFile, readSmallTextFile } from '../openFiles.ts';
import type { RunProject } from './validateProject.ts';

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

/** What the two options gave. */
export interface RehearsalInputs {
  previous?: Report;
  waivers?: Waiver[];
  /** where the waivers come from, when a project gives some (the summary's first lines about them) */
  waiverLines?: string[];
}

class Unusable extends Error {}

function problemsText(problems: readonly FormatProblem[]): string {
  const shown = problems.slice(0, 5).map((p) => `${p.path || '(whole file)'}: ${p.message}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return `${shown.join('; ')}${more}`;
}

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
      const loaded = loadReport(json);
      if (!loaded.ok)
        throw new Unusable(
          `--compare "${compare}" is not a usable validation report: ${problemsText(loaded.problems)}. Give the report a previous run wrote with --report.`,
        );
      value.previous = loaded.value;
    }
    const waivers = args.string('waivers');
    if (waivers !== undefined) {
      const about = { what: 'the waivers file', tooLargeFor: 'a waivers file', maxBytes: MAX_BYTES };
      const text = await readSmallTextFile(waivers, io.cwd, about, (message) => new Unusable(message));
      // 200,000 waivers are tens of MB: read in steps, so a stop does not wait for all of them
      const loaded = await loadWaiversText(text);
      if ('position' in loaded)
        throw new Unusable(jsonProblemMessage(about, waivers, loaded.problem.message));
      if (!loaded.ok)
        throw new Unusable(
          `--waivers "${waivers}" is not a usable waivers file: ${problemsText(loaded.problems)}. Each waiver needs a rule, a column or extension, a rationale, an owner and an expiry day (YYYY-MM-DD).`,
        );
      value.waivers = loaded.value.waivers;
    }
  } catch (error) {
    if (error instanceof Unusable) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, value };
}

/**
 * The run's waivers once the project's are in: the project's in its order, each replaced by the
 * `--waivers` file's waiver of the same id, then the file's others. A waiver the project keeps but
 * that does not check accepts nothing, and the lines say so by JSON Pointer (as the app leaves it
 * out). Without a project, or a project with no waivers, `inputs` comes back as it is.
 */
export function withProjectWaivers(inputs: RehearsalInputs, run: RunProject | undefined): RehearsalInputs {
  if (!run) return inputs;
  const { waivers: kept, problems } = readProjectWaivers(run.project.meta.settings, '/project/meta/settings');
  if (kept.length === 0 && problems.length === 0) return inputs;
  const name = path.basename(run.file);
  const given = inputs.waivers ?? [];
  const givenIds = new Set(given.map((w) => w.id));
  const replaced = kept.filter((w) => givenIds.has(w.id));
  const byId = new Map(given.map((w) => [w.id, w]));
  const keptIds = new Set(kept.map((w) => w.id));
  const waivers = [...kept.map((w) => byId.get(w.id) ?? w), ...given.filter((w) => !keptIds.has(w.id))];
  const lines = [
    inputs.waivers === undefined
      ? `Waivers: ${plural(kept.length, 'waiver')} recorded in ${name}`
      : `Waivers: ${plural(kept.length, 'waiver')} recorded in ${name}, and ${plural(given.length, 'waiver')} given with --waivers, adding to them${replaced.length > 0 ? ` (${replaced.length === 1 ? "1 replaces the project's waiver" : `${replaced.length} replace the project's waivers`} of the same id: ${replaced.map((w) => w.id).join(', ')})` : ''}`,
  ];
  if (problems.length > 0)
    lines.push(
      `  ${problems.length === 1 ? `a waiver of ${name} that cannot be used accepts` : `waivers of ${name} that cannot be used accept`} nothing: ${problemsText(problems)}`,
    );
  return { ...inputs, waivers, waiverLines: lines };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `report` with the waivers applied on `today` and the comparison with the previous run. */
export function withRehearsal(report: Report, inputs: RehearsalInputs, today: Date): Report {
  let out = inputs.waivers ? applyWaivers(report, inputs.waivers, localDay(today)) : report;
  if (inputs.previous) out = { ...out, comparison: compareReports(inputs.previous, out) };
  return out;
}

/** Whether the run fails (exit 1): errors no waiver accepted, or problems across records and files. */
export function runFails(report: Report): boolean {
  return !judgeRun(report).passed;
}

/** The summary lines for waivers and the comparison (none when neither was given). */
export function rehearsalText(report: Report, waiverLines: readonly string[] = []): string {
  const lines: string[] = [...waiverLines];
  if (report.waivers) {
    lines.push('Accepted issues (waivers):');
    for (const w of report.waivers) {
      const { waiver } = w;
      const where = waiver.extension ?? (waiver.column || '(row)');
      // in a run of several files, the files it accepted occurrences in (a file is named by its name)
      const files = w.status === 'active' ? waiverFiles(report, waiver.id) : [];
      const inFiles = files.length > 0 ? ` in ${files.join(', ')}` : '';
      const what =
        w.status === 'expired'
          ? `expired ${waiver.expires}: accepts nothing, its problems fail the run again`
          : `accepted until ${waiver.expires}, owner ${waiver.owner}: ${w.issues} issue${w.issues === 1 ? '' : 's'}, ${w.occurrences} occurrence${w.occurrences === 1 ? '' : 's'}${inFiles}${w.outside ? `; ${w.outside} occurrence${w.outside === 1 ? '' : 's'} outside its rows still fail${w.outside === 1 ? 's' : ''}` : ''}${w.partial ? `; ${w.partial} issue${w.partial === 1 ? '' : 's'} not accepted (occurrences outside its rows or input, or not all listed)` : ''}`;
      lines.push(`  ${waiver.id} ${waiver.rule} ${where}: ${what}`);
    }
    lines.push(`Errors not accepted: ${failingErrors(report)}`);
  }
  const comparison = report.comparison;
  if (comparison) {
    const { counts } = comparison;
    lines.push(
      `Compared with the run of ${comparison.previous.generatedAt} (${comparison.previous.errors} errors): ${counts.fixed} fixed, ${counts.new} new, ${counts.stillFailing} still failing, ${counts.worse} worse`,
    );
    for (const e of comparison.entries)
      lines.push(`  ${e.status} ${e.rule} ${e.location || '(row)'}: ${e.previous} → ${e.current}`);
  }
  return lines.join('\n');
}

/** A run's summary with the waiver and comparison lines after it. */
export function withRehearsalText(summary: string, report: Report, waiverLines?: readonly string[]): string {
  const extra = rehearsalText(report, waiverLines);
  return extra ? `${summary}\n${extra}` : summary;
}
