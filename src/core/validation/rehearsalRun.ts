/**
 * A run as a rehearsal: the previous run's report compared with it, the waivers applied (those the
 * project records, with a waivers file's added), and the lines the summary says about both. The
 * same for every engine and for FHIR files; the CLI reads the files (validateRehearsal.ts).
 */
import type { FormatProblem } from '../../formats/loading.ts';
import type { Project } from '../../formats/project.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { readProjectWaivers, type Waiver } from '../../formats/waivers.ts';
import { compareReports } from './rehearsals.ts';
import { judgeRun } from './reportSummary.ts';
import { namesOf } from './runPlan.ts';
import { loadWaiversText } from './waiverFile.ts';
import {
  type ApplyInStepsOptions,
  applyWaiversInSteps,
  failingErrors,
  localDay,
  waiverFiles,
} from './waivers.ts';

/** What the two options gave. */
export interface RehearsalInputs {
  previous?: Report;
  waivers?: Waiver[];
  /** where the waivers come from, when a project gives some (the summary's first lines about them) */
  waiverLines?: string[];
}

/** A file's first problems, by JSON Pointer, for a message. */
function problemsText(problems: readonly FormatProblem[]): string {
  const shown = problems.slice(0, 5).map((p) => `${p.path || '(whole file)'}: ${p.message}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return `${shown.join('; ')}${more}`;
}

/** What a previous report or waivers file gives a run, or why it cannot be used (never a value). */
type RehearsalFile<T> = { ok: true; value: T } | { ok: false; message: string };

/** A previous run's report as `--compare` takes it; `file` names it in the message. */
export function previousReportOf(json: unknown, file: string): RehearsalFile<Report> {
  const loaded = loadReport(json);
  if (loaded.ok) return { ok: true, value: loaded.value };
  return {
    ok: false,
    message: `--compare "${file}" is not a usable validation report: ${problemsText(loaded.problems)}. Give the report a previous run wrote with --report.`,
  };
}

/**
 * A waivers file's text as `--waivers` takes it, read in steps (200,000 waivers are tens of MB, and
 * a stop does not wait for all of them); `file` names it in the message.
 */
export async function waiversOfText(text: string, file: string): Promise<RehearsalFile<Waiver[]>> {
  const loaded = await loadWaiversText(text);
  if ('position' in loaded)
    return { ok: false, message: `the waivers file "${file}": ${loaded.problem.message}.` };
  if (loaded.ok) return { ok: true, value: loaded.value.waivers };
  return {
    ok: false,
    message: `--waivers "${file}" is not a usable waivers file: ${problemsText(loaded.problems)}. Each waiver needs a rule, a column or extension, a rationale, an owner and an expiry day (YYYY-MM-DD).`,
  };
}

/**
 * The run's waivers once the project's are in: the project's in its order, each replaced by the
 * `--waivers` file's waiver of the same id, then the file's others. A waiver the project keeps but
 * that does not check accepts nothing, and the lines say so by JSON Pointer (as the app leaves it
 * out). Without a project, or a project with no waivers, `inputs` comes back as it is.
 */
export function withProjectWaivers(
  inputs: RehearsalInputs,
  run: { file: string; project: Pick<Project, 'meta'> } | undefined,
): RehearsalInputs {
  if (!run) return inputs;
  const { waivers: kept, problems } = readProjectWaivers(run.project.meta.settings, '/project/meta/settings');
  if (kept.length === 0 && problems.length === 0) return inputs;
  const name = namesOf(run.file)[1] as string;
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

/**
 * `report` with the waivers applied on `today` and the comparison with the previous run. The
 * waivers are applied in steps (`applyWaiversInSteps`): a stop between two ends the run there.
 */
export async function withRehearsal(
  report: Report,
  inputs: RehearsalInputs,
  today: Date,
  options: ApplyInStepsOptions = {},
): Promise<Report> {
  let out = inputs.waivers
    ? await applyWaiversInSteps(report, inputs.waivers, localDay(today), options)
    : report;
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
      lines.push(
        `  ${e.status} ${e.rule} ${e.location || '(row)'}${e.input === undefined ? '' : ` in ${e.input}`}: ${e.previous} → ${e.current}`,
      );
  }
  return lines.join('\n');
}

/** A run's summary with the waiver and comparison lines after it. */
export function withRehearsalText(summary: string, report: Report, waiverLines?: readonly string[]): string {
  const extra = rehearsalText(report, waiverLines);
  return extra ? `${summary}\n${extra}` : summary;
}
