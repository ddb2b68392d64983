import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { LogReading } from '../../../../workers/eventLogApi.ts';
import {
  chooseColumnsOnWholeLog,
  hugeCaseShape,
  inMemoryLog,
  previewLog,
  scanLogColumns,
  sepsisShape,
} from '../../../core/workflow/eventlog/index.ts';
import {
  AtomicEventsNote,
  FewCasesNote,
  LogProblems,
  type LogSetup,
  LogSourceForm,
} from './LogSourceForm.tsx';

/** A log flattened from XES: a channel (5 values) comes before the case id; content invented. */
function flattenedLog(): string {
  const lines = ['case:channel,case:concept:name,concept:name,time:timestamp'];
  for (let c = 0; c < 60; c++)
    for (let e = 0; e < 6; e++) lines.push(`Channel ${c % 5},case-${c},Step ${e},2026-01-05T08:0${e}:00Z`);
  return `${lines.join('\n')}\n`;
}

function setupOf(text: string, name: string): LogSetup {
  const preview = previewLog(new TextEncoder().encode(text), name);
  return { file: new File([text], name), preview, read: { mapping: preview.proposal, timeZone: 'UTC' } };
}

/** The element that describes `element` (its aria-describedby), which must exist. */
function descriptionOf(element: HTMLElement): HTMLElement {
  const described = document.getElementById(element.getAttribute('aria-describedby') ?? '');
  if (!described) throw new Error('the element has no description');
  return described;
}

function Harness({ initial, seen }: { initial: LogSetup; seen: LogSetup[] }) {
  const [setup, setSetup] = useState<LogSetup | null>(initial);
  return (
    <LogSourceForm
      legend="Event log"
      setup={setup}
      onSetup={(next) => {
        if (next) seen.push(next);
        setSetup(next);
      }}
    />
  );
}

describe('LogSourceForm: the file chooser', () => {
  it('says what it reads and offers those files only (OCEL 2.0 SQLite too, no zip)', () => {
    render(<LogSourceForm legend="Event log" setup={null} onSetup={() => {}} />);
    const input = screen.getByLabelText('Event log file (CSV, XES or OCEL 2.0, gzipped or not)');
    expect(input.getAttribute('accept')?.split(',').sort()).toEqual(
      [
        '.csv',
        '.db',
        '.gz',
        '.json',
        '.jsonocel',
        '.sqlite',
        '.sqlite3',
        '.tsv',
        '.txt',
        '.xes',
        '.xml',
        '.xmlocel',
        'text/csv',
      ].sort(),
    );
    expect(descriptionOf(input).textContent?.replace(/\s+/g, ' ')).toContain(
      'an object-centric log in OCEL 2.0 JSON, XML or SQLite;',
    );
    expect(descriptionOf(input).textContent).not.toContain('preflight command');
  });
});

describe('LogSourceForm: the case column', () => {
  it('shows the XES case column it chose and why, and lets the user choose another, warning when cases are few', () => {
    const seen: LogSetup[] = [];
    render(<Harness initial={setupOf(flattenedLog(), 'receipt.csv')} seen={seen} />);
    const select = screen.getByLabelText(
      'Case id (one patient visit, order or referral)',
    ) as HTMLSelectElement;
    expect(select.value).toBe('case:concept:name');
    expect(descriptionOf(select).textContent).toMatch(
      /Cases are told apart by the column "case:concept:name" \(the XES convention for the case id\)\./,
    );
    expect(descriptionOf(select).className).not.toContain('field-warning');

    fireEvent.change(select, { target: { value: 'case:channel' } });
    expect(seen.at(-1)?.read.mapping.case).toBe('case:channel');
    expect(descriptionOf(select).textContent).toMatch(/It has only 5 different values in the first 360 rows/);
    expect(descriptionOf(select).textContent).toContain(
      'This is judged on the first 360 rows only; the whole log is checked again once it is read.',
    );
    expect(descriptionOf(select).className).toContain('field-warning');
  });
});

describe('LogSourceForm: the columns chosen on the whole log', () => {
  it('proposes time:timestamp, not the case-level end date before it, and says why on the screen', async () => {
    const lines = ['case:concept:name,case:enddate,concept:name,time:timestamp,visit_date'];
    for (let c = 0; c < 8; c++)
      for (let e = 0; e < 3; e++)
        lines.push(`case-${c},2026-01-09T10:00:00Z,Step ${e},2026-01-05T08:0${e}:00Z,2026-01-0${c + 1}`);
    const text = `${lines.join('\n')}\n`;
    const preview = previewLog(new TextEncoder().encode(text), 'receipt.csv');
    const choice = chooseColumnsOnWholeLog(
      preview,
      await scanLogColumns(inMemoryLog('receipt.csv', new TextEncoder().encode(text)), preview.proposal.case),
    );
    const setup: LogSetup = {
      file: new File([text], 'receipt.csv'),
      preview: { ...preview, proposal: choice.mapping, reasons: choice.reasons },
      read: { mapping: choice.mapping, timeZone: 'UTC' },
    };
    setup.preview.evidence = { ...(preview.evidence as NonNullable<typeof preview.evidence>), whole: true };
    render(<Harness initial={setup} seen={[]} />);
    expect((screen.getByLabelText('Time') as HTMLSelectElement).value).toBe('time:timestamp');
    const note = screen.getByTestId('column-choice').textContent ?? '';
    expect(note).toContain('The time of each event is "time:timestamp" (the XES standard name).');
    expect(note).toContain(
      '"case:enddate" holds times but is not the event time: the "case:" prefix marks a case attribute (the XES convention). "visit_date" holds times but is not the event time: its value never changes within a case in the whole log (8 cases).',
    );
    expect(screen.getByText(/what each holds in the whole log \(24 rows, 8 cases\)/)).toBeTruthy();
  });
});

describe('LogSourceForm: the cases of an XES log', () => {
  it('says the traces are the cases, told apart by their concept:name', () => {
    const sepsis = sepsisShape();
    render(<Harness initial={setupOf(sepsis.text, sepsis.name)} seen={[]} />);
    const select = screen.getByLabelText('Case id (one patient visit, order or referral)');
    expect(descriptionOf(select).textContent).toContain(
      'Cases are the log\'s traces, told apart by their "concept:name" (the XES convention).',
    );
  });
});

describe('AtomicEventsNote', () => {
  const reading = (extra: Partial<LogReading>) => extra as LogReading;

  it('says how many completions had no start in a log that mixes the two forms', () => {
    render(<AtomicEventsNote reading={reading({ unmatchedCompletes: 826 })} />);
    expect(screen.getByText(/826 completions have no start before them/)).toBeTruthy();
  });

  it('says nothing for a log whose completions all have starts', () => {
    const { container } = render(<AtomicEventsNote reading={reading({})} />);
    expect(container.textContent).toBe('');
  });
});

describe('after reading: the case column and what was left out, judged on the whole log', () => {
  const reading = (extra: Partial<LogReading>) => extra as LogReading;

  it('warns about a column with few cases for the events of the whole log, not for its first rows', () => {
    const huge = hugeCaseShape();
    const setup = setupOf(huge.text, huge.name);
    // the first rows are one long case: the preview alone would call the column a category
    const { unmount } = render(<FewCasesNote setup={setup} reading={reading({ cases: 301, events: 900 })} />);
    // the hint before reading warned on the first rows: the whole log's answer replaces it
    expect(screen.getByRole('status').textContent).toBe(
      `Checked on the whole log: "case_id" has 301 different values for 900 events, enough for a case id. The warning before reading came from the first ${setup.preview.sampledRows} rows only.`,
    );
    unmount();
    render(<FewCasesNote setup={setup} reading={reading({ cases: 5, events: 900 })} />);
    expect(screen.getByRole('status').textContent).toMatch(
      /"case_id".*only 5 different values for 900 events in the whole log/,
    );
    expect(screen.getByRole('status').textContent).not.toContain('first');
  });

  it('names the lifecycle transitions left out and the activities only they carried', () => {
    render(
      <LogProblems
        reading={reading({
          problems: [
            {
              code: 'ignored-lifecycle',
              severity: 'warning',
              message: '',
              count: 12,
              rows: [1],
              detail: { byTransition: { schedule: 8, withdraw: 4 }, activitiesOnlyLeftOut: 1 },
            },
          ],
        })}
        xes
        skipBadRows={false}
        onSkipBadRows={() => undefined}
      />,
    );
    expect(
      screen.getByText(/Left out: 8 schedule, 4 withdraw\. 1 activity appears only in these events/),
    ).toBeTruthy();
  });
});
