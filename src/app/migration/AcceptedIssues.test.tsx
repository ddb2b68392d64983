/**
 * Accepting a problem (a waiver) on the validation result: the form saves nothing without a
 * rationale, an owner and a last day; an accepted problem stays listed with its mark and no longer
 * counts as failing. A waiver limited to rows cannot know where every occurrence lies until the
 * file is checked again, and says so; checked again, the occurrences inside are accepted and those
 * outside still fail. The project is the real one, changed by the project's own reducer; reports
 * are the real engine's (testing/runReport.ts).
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer } from 'react';
import { describe, expect, it } from 'vitest';
import { inertnessInPage, PAYLOAD_TEXTS } from '../../../tests/e2e/xssPayloads.ts';
import { applyChange, createProject, type ProjectChange } from '../../core/project/changes.ts';
import { localDay, rowSetWatches } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { publishConflicts } from '../team/recordConflicts.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { WaiversProvider } from './AcceptedIssues.tsx';
import { PATIENTS_CONTRACT, PATIENTS_FEB, WALK_INS } from './testing/patientsFixtures.ts';
import { runReport } from './testing/runReport.ts';
import { ValidationReport } from './ValidationReport.tsx';

const NOW = '2026-03-01T09:00:00.000Z';

/** The Migration screen's part: the project's waivers over a report; the project is kept in `seen`. */
function Screen({ report, seen }: { report: Report; seen: { project?: Project } }) {
  const [project, dispatch] = useReducer(
    (p: Project, change: ProjectChange) => applyChange(p, change, NOW),
    undefined,
    () => createProject({ name: 'Maple Street', now: NOW }),
  );
  seen.project = project;
  return (
    <WaiversProvider project={project} dispatch={dispatch}>
      <ValidationReport report={report} />
    </WaiversProvider>
  );
}

// the buttons name their problem in a visually hidden span; jsdom's accessible names drop the
// space before it that Chromium keeps, so the names are matched with \s*
const marks = () => screen.queryAllByTestId('waiver-mark').map((m) => m.textContent);

/**
 * Enters `value` in a field as a user does: pasted into a text field; a date field is set whole, as
 * its picker does (jsdom types into it character by character, which no user does).
 */
async function enter(field: HTMLElement, value: string): Promise<void> {
  if ((field as HTMLInputElement).type === 'date') {
    fireEvent.change(field, { target: { value } });
    return;
  }
  await userEvent.clear(field);
  await userEvent.click(field);
  await userEvent.paste(value);
}

async function accept(
  problem: RegExp,
  fields: { why?: string; owner?: string; until?: string; rows?: string },
): Promise<HTMLElement> {
  await userEvent.click(screen.getAllByRole('button', { name: problem })[0] as HTMLElement);
  const form = screen.getByRole('group', { name: /^Accept birth_date: is required/ });
  const fill = async (label: string, value: string | undefined) => {
    if (value === undefined) return;
    await enter(within(form).getByLabelText(label), value);
  };
  await fill('Why it is accepted', fields.why);
  await fill('Owner (who answers for it)', fields.owner);
  await fill('Accepted until (last day)', fields.until);
  await fill('Only in rows (optional, e.g. 12, 40-45)', fields.rows);
  await userEvent.click(within(form).getByRole('button', { name: 'Save the acceptance' }));
  return form;
}

describe('Accepting a problem', () => {
  it('tells a colleague’s change made first to an acceptance beside the problem it accepts', async () => {
    const { report } = await runReport([
      { name: 'patients-feb.csv', bytes: PATIENTS_FEB, contract: { ...PATIENTS_CONTRACT } },
    ]);
    const seen: { project?: Project } = {};
    render(<Screen report={report} seen={seen} />);
    await accept(/^Accept this problem…\s*birth_date: is required/, {
      why: 'Walk-in patients were registered without a birth date',
      owner: 'Dana Whitfield',
      until: '2099-06-30',
    });
    const [waiver] = readProjectWaivers(seen.project?.meta.settings ?? {}).waivers;
    if (!waiver) throw new Error('the acceptance was not kept');
    publishConflict('waiver', waiver.id, waiver, { ...waiver, owner: 'Rosa Diaz', expires: '2099-12-31' });
    const mark = screen.getByTestId('waiver-mark');
    expect(
      conflictBeside(mark.closest('.issue-waiver') as HTMLElement, mark, 'acceptance of this problem'),
    ).toEqual([
      ['owner', 'Rosa Diaz', 'Dana Whitfield'],
      ['expires', '2099-12-31', '2099-06-30'],
    ]);
  });

  it('saves nothing without an owner; accepted, the problem stays listed and no longer fails', async () => {
    const { report } = await runReport([
      { name: 'patients-feb.csv', bytes: PATIENTS_FEB, contract: { ...PATIENTS_CONTRACT } },
    ]);
    const seen: { project?: Project } = {};
    render(<Screen report={report} seen={seen} />);
    const form = await accept(/^Accept this problem…\s*birth_date: is required/, {
      why: 'Walk-in patients were registered without a birth date',
      until: '2099-06-30',
    });
    expect(within(form).getByRole('alert').textContent).toContain('Name the person who answers for it.');
    expect(marks()).toEqual([]);
    expect(readProjectWaivers(seen.project?.meta.settings ?? {}).waivers).toEqual([]);

    await enter(within(form).getByLabelText('Owner (who answers for it)'), 'Dana Whitfield');
    await userEvent.click(within(form).getByRole('button', { name: 'Save the acceptance' }));
    expect(marks()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-in patients were registered without a birth date',
    ]);
    // 5 errors: the 3 empty birth dates accepted; the missing patient number and the sex still fail
    expect(screen.getByTestId('errors-not-accepted').textContent).toBe('2');
    expect(screen.getByTestId('score-errors').textContent).toBe('5');
    // kept in the project, as the CLI reads it from an export
    expect(readProjectWaivers(seen.project?.meta.settings ?? {}).waivers).toMatchObject([
      { owner: 'Dana Whitfield', expires: '2099-06-30' },
    ]);
    expect(screen.getByRole('button', { name: 'Download waivers' })).toBeTruthy();
  });

  it('limited to rows, it says the file must be checked again; checked again, it counts inside and outside', async () => {
    const walkIns = { name: 'walk-ins.csv', bytes: WALK_INS, contract: { ...PATIENTS_CONTRACT } };
    const first = await runReport([walkIns]);
    expect(first.report.summary.errors).toBe(30);
    const seen: { project?: Project } = {};
    const { rerender } = render(<Screen report={first.report} seen={seen} />);
    await accept(/^Accept this problem…\s*birth_date: is required/, {
      why: 'Walk-ins of the first week were registered without one',
      owner: 'Dana Whitfield',
      until: '2099-06-30',
      rows: '1-25',
    });
    expect(marks()).toEqual([
      'Accepted only in rows 1-25, and not every occurrence is known to be there: this problem still fails the check. Check the file again to count the occurrences in those rows.',
    ]);
    expect(screen.queryByTestId('waiver-summary')).toBeNull();

    // checked again with the waiver's rows, as the page passes them to the run
    const recheck = async () => {
      const { waivers } = readProjectWaivers(seen.project?.meta.settings ?? {});
      const again = await runReport([
        { ...walkIns, rowSets: rowSetWatches(waivers, 'walk-ins.csv', localDay(new Date())) },
      ]);
      rerender(<Screen report={again.report} seen={seen} />);
    };
    await recheck();
    expect(marks()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-ins of the first week were registered without one',
      'Accepted only in rows 1-25: these 5 occurrences lie outside them and still fail the check.',
    ]);
    const problems = [...document.querySelectorAll('.issue-list > li summary')].map(
      (s) => s.textContent ?? '',
    );
    expect(problems.filter((p) => p.includes('birth_date'))).toEqual([
      expect.stringMatching(/is required but empty — 25 times/),
      expect.stringMatching(/is required but empty — 5 times/),
    ]);
    expect(screen.getByTestId('errors-not-accepted').textContent).toBe('5');
    expect(screen.getByTestId('score-errors').textContent).toBe('30');
    // a colleague's change to the acceptance is told once, beside the part it accepts
    const [kept] = readProjectWaivers(seen.project?.meta.settings ?? {}).waivers;
    if (!kept) throw new Error('the acceptance was not kept');
    const settled = publishConflict('waiver', kept.id, kept, { ...kept, rows: [{ from: 1, to: 20 }] });
    const acceptedPart = screen.getAllByTestId('waiver-mark')[0] as HTMLElement;
    expect(
      conflictBeside(
        acceptedPart.closest('.issue-waiver') as HTMLElement,
        acceptedPart,
        'acceptance of this problem',
      ),
    ).toEqual([['rows row 1', 'from 1, to 20', 'from 1, to 25']]);
    expect(screen.getAllByTestId('conflict-beside')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Keep my version' }));
    expect(settled).toEqual([[`waiver/${kept.id}`, 'mine']]);
    publishConflicts(undefined);

    // narrowed to rows 1-10, the count of the old rows accepts nothing until checked again
    await userEvent.click(
      screen.getAllByRole('button', {
        name: /^Change the acceptance\s*birth_date: is required/,
      })[0] as HTMLElement,
    );
    const form = screen.getByRole('group', { name: /^Accept birth_date: is required/ });
    await enter(within(form).getByLabelText('Only in rows (optional, e.g. 12, 40-45)'), '1-10');
    await userEvent.click(within(form).getByRole('button', { name: 'Save the acceptance' }));
    expect(marks()).toEqual([
      'Accepted only in rows 1-10, and not every occurrence is known to be there: this problem still fails the check. Check the file again to count the occurrences in those rows.',
    ]);
    expect(screen.queryByTestId('waiver-summary')).toBeNull();
    expect(screen.getByTestId('score-errors').textContent).toBe('30');
    await recheck();
    expect(marks()).toEqual([
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-ins of the first week were registered without one',
      'Accepted only in rows 1-10: these 20 occurrences lie outside them and still fail the check.',
    ]);
    expect(screen.getByTestId('errors-not-accepted').textContent).toBe('20');
  });
});

describe("An acceptance's rationale and owner, typed with script-injection payloads", () => {
  it.each(PAYLOAD_TEXTS.map(({ text, numbers }) => ({ text, numbers: numbers.join(', ') })))(
    'payloads $numbers: the problem shows them as typed, with no active markup',
    async ({ text }) => {
      const { report } = await runReport([
        { name: 'patients-feb.csv', bytes: PATIENTS_FEB, contract: { ...PATIENTS_CONTRACT } },
      ]);
      render(<Screen report={report} seen={{}} />);
      await accept(/^Accept this problem…\s*birth_date: is required/, {
        why: text,
        owner: text,
        until: '2099-06-30',
      });
      expect(marks()).toEqual([`Accepted until 30 Jun 2099, owner ${text}: ${text}`]);
      expect(inertnessInPage()).toEqual({ ran: null, active: [] });
    },
  );
});
