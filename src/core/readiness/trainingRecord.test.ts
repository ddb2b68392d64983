import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { ReadinessGatesInput } from '../../formats/readinessGates.ts';
import {
  type RoleTraining,
  readTrainingRecord,
  type SupportShift,
  withTrainingRecord,
} from '../../formats/trainingRecord.ts';
import { assessReadiness, evidencePack } from './index.ts';
import { goProject, planned } from './testing/crafted.ts';

/** The go project with the front desk's check-in moved to a kiosk: the front desk must be trained. */
function changedFrontDesk(): Project {
  const p = goProject();
  return {
    ...p,
    workflows: p.workflows.map((w) =>
      w.id === planned.id
        ? { ...w, steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Kiosk' } : s)) }
        : w,
    ),
  };
}

const recorded = (
  p: Project,
  roles: RoleTraining[],
  support: SupportShift[] = [],
  gates?: ReadinessGatesInput,
): Project => ({
  ...p,
  meta: {
    ...p.meta,
    settings: {
      ...withTrainingRecord(p.meta.settings, { roles, support }),
      ...(gates ? { readinessGates: gates } : {}),
    },
  },
});

const FRONT_DESK_TRAINED: RoleTraining = {
  role: 'Front desk',
  staff: 10,
  trained: 10,
  sessionsPlanned: 2,
  sessionsDelivered: 2,
  superUsers: ['Ana Ruiz'],
};
const STAFFED: SupportShift[] = [{ area: 'Front desk', shift: 'Monday morning', supporters: 2 }];

const phase = (p: Project, id: 'training' | 'go-live') =>
  assessReadiness(p).phases.find((ph) => ph.id === id);

describe('training delivery and super-users, against the clinic’s gates', () => {
  it.each<{
    description: string;
    project: () => Project;
    status: string;
    evidence: string;
    reasons: string[];
  }>([
    {
      description: 'nothing recorded: the changed role keeps training at risk, as before',
      project: changedFrontDesk,
      status: 'at-risk',
      evidence: '“Check-in planned”: Front desk 1 changed step (new: Kiosk).',
      reasons: [
        'Training delivery and super-users are not recorded in Preflight: confirm that Front desk was trained on their changed steps (Workflows, Training by role) and that each role has a named super-user, or record it on the Readiness screen.',
      ],
    },
    {
      description: 'every changed role trained with a super-user: ready',
      project: () => recorded(changedFrontDesk(), [FRONT_DESK_TRAINED]),
      status: 'ready',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 2 of 2 sessions delivered; super-users: Ana Ruiz.',
      reasons: [],
    },
    {
      description: 'under the trained-share gate: blocked',
      project: () => recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, trained: 8 }]),
      status: 'blocked',
      evidence: 'Front desk: 8 of 10 staff trained (80 %), 2 of 2 sessions delivered; super-users: Ana Ruiz.',
      reasons: [
        'Front desk: only 80 % of staff trained (2 still to train); the gate is 90 %. Deliver the role’s training on its changed steps.'.replace(
          '’',
          "'",
        ),
      ],
    },
    {
      description: 'the clinic lowers the gate: the same share passes',
      project: () =>
        recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, trained: 8 }], [], { minTrainedShare: 0.8 }),
      status: 'ready',
      evidence: 'Front desk: 8 of 10 staff trained (80 %), 2 of 2 sessions delivered; super-users: Ana Ruiz.',
      reasons: [],
    },
    {
      description: 'no super-user: blocked, unless the clinic does not require one',
      project: () => recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, superUsers: [] }]),
      status: 'blocked',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 2 of 2 sessions delivered; super-users: none named.',
      reasons: ['Front desk: no super-user named; every role whose work changes needs one.'],
    },
    {
      description: 'no super-user under superUserPerRole false: ready',
      project: () =>
        recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, superUsers: [] }], [], {
          superUserPerRole: false,
        }),
      status: 'ready',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 2 of 2 sessions delivered; super-users: none named.',
      reasons: [],
    },
    {
      description: 'sessions still to deliver: a risk',
      project: () => recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, sessionsDelivered: 1 }]),
      status: 'at-risk',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 1 of 2 sessions delivered; super-users: Ana Ruiz.',
      reasons: ['Front desk: 1 of 2 training sessions not delivered yet.'],
    },
    {
      description: 'every trained person passed the proficiency check: ready',
      project: () => recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, proficient: 10 }]),
      status: 'ready',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 2 of 2 sessions delivered, 10 of 10 trained passed the proficiency check; super-users: Ana Ruiz.',
      reasons: [],
    },
    {
      description: 'trained but not all proficient: a risk (attendance is not proficiency)',
      project: () => recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, proficient: 7 }]),
      status: 'at-risk',
      evidence:
        'Front desk: 10 of 10 staff trained (100 %), 2 of 2 sessions delivered, 7 of 10 trained passed the proficiency check; super-users: Ana Ruiz.',
      reasons: ['Front desk: 3 of 10 trained staff have not passed the proficiency check yet.'],
    },
    {
      description: 'a record without the changed role: blocked (nothing passes by absence)',
      project: () =>
        recorded(changedFrontDesk(), [{ role: 'Nurse', staff: 4, trained: 4, superUsers: ['Kim'] }]),
      status: 'blocked',
      evidence: 'Front desk: no training recorded.',
      reasons: [
        'Front desk: its work changes but no training is recorded for it; record its staff trained and a super-user on the Readiness screen (the gate is 90 %).',
      ],
    },
    {
      description: 'staff in the role not recorded: blocked',
      project: () => recorded(changedFrontDesk(), [{ role: 'Front desk', superUsers: ['Ana Ruiz'] }]),
      status: 'blocked',
      evidence: 'Front desk: staff in the role not recorded; super-users: Ana Ruiz.',
      reasons: [
        'Front desk: how many staff work in the role is not recorded, so the share trained is unknown; record it on the Readiness screen (the gate is 90 %).',
      ],
    },
  ])('$description', ({ project, status, evidence, reasons }) => {
    const training = phase(project(), 'training');
    expect(training?.status).toBe(status);
    expect(training?.evidence).toContain(evidence);
    expect(training?.reasons.map((r) => r.text)).toEqual(reasons);
  });
});

describe('go-live support staffing per area and shift', () => {
  it.each<{
    description: string;
    support: SupportShift[];
    gates?: ReadinessGatesInput;
    status: string;
    reasons: string[];
  }>([
    {
      description: 'none recorded: at risk, as before',
      support: [],
      status: 'at-risk',
      reasons: [
        'Support staffing for go-live week is not recorded in Preflight: record the at-the-elbow support per area and shift on the Readiness screen, or confirm it with the steering committee.',
      ],
    },
    { description: 'every shift staffed: ready', support: STAFFED, status: 'ready', reasons: [] },
    {
      description: 'a shift under the gate: blocked, naming it',
      support: [...STAFFED, { area: 'Lab', shift: 'Monday afternoon', supporters: 0 }],
      status: 'blocked',
      reasons: [
        'Lab, Monday afternoon: 0 supporters at the elbow; the gate is 1. Staff it on the go-live rota.',
      ],
    },
    {
      description: 'the clinic asks for two per shift',
      support: [...STAFFED, { area: 'Lab', shift: 'Monday afternoon', supporters: 1 }],
      gates: { minSupportPerShift: 2 },
      status: 'blocked',
      reasons: [
        'Lab, Monday afternoon: 1 supporter at the elbow; the gate is 2. Staff it on the go-live rota.',
      ],
    },
  ])('$description', ({ support, gates, status, reasons }) => {
    const goLive = phase(recorded(goProject(), [], support, gates), 'go-live');
    expect(goLive?.status).toBe(status);
    expect(goLive?.reasons.map((r) => r.text)).toEqual(reasons);
    if (support.length > 0)
      expect(goLive?.evidence).toContain(
        `At-the-elbow support in go-live week: ${support.map((s) => `${s.area}, ${s.shift}: ${s.supporters}`).join('; ')}.`,
      );
  });

  it('the evidence pack carries the training and support figures and the gates in effect', () => {
    const project = recorded(changedFrontDesk(), [{ ...FRONT_DESK_TRAINED, trained: 8 }], STAFFED);
    const result = assessReadiness(project);
    const pack = evidencePack(project, result, '2026-11-24T12:00:00Z');
    expect(pack.decision).toBe('no-go');
    expect(pack.gates).toContain('staff trained ≥ 90 % per role');
    expect(pack.phases.find((p) => p.id === 'training')?.artefacts).toContainEqual(
      expect.objectContaining({ kind: 'training-record' }),
    );
    expect(pack.reasons.map((r) => r.text)).toContain(
      "Front desk: only 80 % of staff trained (2 still to train); the gate is 90 %. Deliver the role's training on its changed steps.",
    );
  });

  it('the record survives its own reader; entries of the wrong shape are skipped', () => {
    const settings = withTrainingRecord({}, { roles: [FRONT_DESK_TRAINED], support: STAFFED });
    expect(readTrainingRecord(JSON.parse(JSON.stringify(settings)))).toEqual({
      roles: [FRONT_DESK_TRAINED],
      support: STAFFED,
    });
    expect(
      readTrainingRecord({
        trainingRecord: {
          roles: [{ role: 'Nurse', staff: -1, trained: 'all' }, { staff: 3 }],
          support: [{ area: 'Lab', shift: 'Mon', supporters: 1.5 }],
        },
      }),
    ).toEqual({ roles: [{ role: 'Nurse' }], support: [] });
  });
});
