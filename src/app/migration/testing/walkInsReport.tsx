/**
 * Tests only: the walk-ins extract validated under a waiver that accepts its first 25 rows' empty
 * birth dates, rendered as the Migration screen shows it. Shared by the failing-rows list and
 * export tests, which read the same run from two sides.
 */
import { render } from '@testing-library/react';
import { createProject } from '../../../core/project/changes.ts';
import { localDay, rowSetWatches } from '../../../core/validation/index.ts';
import type { Waiver } from '../../../formats/waivers.ts';
import { WaiversProvider } from '../AcceptedIssues.tsx';
import { ValidationReport } from '../ValidationReport.tsx';
import { PATIENTS_CONTRACT, WALK_INS } from './patientsFixtures.ts';
import { runReport } from './runReport.ts';

/** The waiver: empty birth dates accepted in rows 1 to 25 of walk-ins.csv. */
const WALK_INS_WAIVER: Waiver = {
  id: 'walk-ins',
  rule: 'contract.required',
  column: 'birth_date',
  rows: [{ from: 1, to: 25 }],
  rationale: 'Walk-ins of the first week were registered without one',
  owner: 'Dana Whitfield',
  expires: '2099-06-30',
};

/** Validates walk-ins.csv under {@link WALK_INS_WAIVER} and renders the result with the waiver in force. */
export async function renderWalkInsReport(): Promise<void> {
  const project = createProject({
    name: 'Maple Street',
    now: '2026-03-01T09:00:00.000Z',
    settings: { waivers: [WALK_INS_WAIVER] },
  });
  const run = await runReport([
    {
      name: 'walk-ins.csv',
      bytes: WALK_INS,
      contract: { ...PATIENTS_CONTRACT },
      rowSets: rowSetWatches([WALK_INS_WAIVER], 'walk-ins.csv', localDay(new Date())),
    },
  ]);
  render(
    <WaiversProvider project={project}>
      <ValidationReport report={run.report} failing={run.failing} request={run.request} />
    </WaiversProvider>,
  );
}
