/**
 * A vitest reporter that keeps, in the file named by `$PREFLIGHT_FILE_PROGRESS`, one line per test
 * file as it starts and one as it finishes, so that `npm test` can name the files that never
 * finished when it ends a stalled suite (tests/stepWatch.ts). Each line is written at once and
 * synchronously: the suite may be killed at any moment, and what was written stays.
 */
import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** The variable naming the progress file; no file is written without it. */
export const FILE_PROGRESS_ENV = 'PREFLIGHT_FILE_PROGRESS';

const STARTED = 'started';
const FINISHED = 'finished';

/** The files of a progress file's text that started and did not finish, in the order they started. */
export function unfinishedFiles(text: string): string[] {
  const open = new Set<string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [event, file] = [line.slice(0, tab), line.slice(tab + 1)];
    if (event === STARTED) open.add(file);
    else if (event === FINISHED) open.delete(file);
  }
  return [...open];
}

/** Appends each file's start and end to the progress file. */
export default class FileProgressReporter implements Reporter {
  private readonly file = process.env[FILE_PROGRESS_ENV];

  private note(event: string, testModule: TestModule): void {
    if (this.file) appendFileSync(this.file, `${event}\t${testModule.moduleId}\n`);
  }

  onTestModuleStart(testModule: TestModule): void {
    this.note(STARTED, testModule);
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.note(FINISHED, testModule);
  }
}
