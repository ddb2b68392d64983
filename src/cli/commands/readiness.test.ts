import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessReadiness, pathToGo } from '../../core/readiness/index.ts';
import { decidedProject, goProject, openDisagreement, report } from '../../core/readiness/testing/crafted.ts';
import { pendingTrailEntries, trailSubjects } from '../../core/signoff/signing/index.ts';
import { localDay } from '../../core/validation/index.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import { createProjectFile, type Project } from '../../formats/project.ts';
import { withRollbackPlan } from '../../formats/rollbackPlan.ts';
import { fixtureProject, fixtureWorkflowCheck } from '../../formats/testing/fixtures.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-readiness-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeProject(name: string, project: Project): Promise<string> {
  const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.1.0' });
  await writeFile(path.join(dir, name), JSON.stringify(file, null, 2));
  return name;
}

describe('preflight readiness', () => {
  it('exits 0 on go and prints the decision, the gates in effect and every phase', async () => {
    const file = await writeProject('go.preflight.json', goProject());
    const { code, out, err } = await runCli(['readiness', file], dir);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.split('\n')[0]).toBe('go.preflight.json: GO');
    expect(out).toContain(
      'Gates in effect: extracts ≥ 99 % valid; sign-off required; open findings block at problems; peak-hour utilisation ≤ 85 %; go-live utilisation ≤ 85 %; safety practices at least partly implemented; staff trained ≥ 90 % per role; a super-user per role required; at-the-elbow support ≥ 1 per area and shift; a rollback/downtime plan required; downtime drill ≤ 90 days before go-live.',
    );
    expect(out).toContain('\n  Front desk: owner Ana Ruiz; stakeholders Kim Ode and Lee Park.\n');
    for (const phase of [
      'Discovery: ready',
      'Configuration: ready',
      'Training: ready',
      'Pre-launch: ready',
      'Go-live: at risk',
    ])
      expect(out).toContain(`\n${phase}\n`);
    expect(out).not.toContain('Why no-go:');
    // the runbook step by step and the command centre, each with its state
    expect(out).toContain(
      '\n\nCutover runbook: planned, not started — 5 steps (5 planned); next: “Freeze the old system” at 2026-11-27 18:00 (Ana Ruiz).\n  - [planned] Freeze the old system (data freeze; Ana Ruiz; 2026-11-27 18:00)\n',
    );
    expect(out).toMatch(
      /\nCommand centre: ready — Meeting room 2; 07:00–19:00, go-live week; escalation: Super-user on the floor \(Ana Ruiz\) → Clinical lead \(Sam Okafor\); triage: .+\.\n/,
    );
    // the preparation records, each with its state
    expect(out).toContain(
      '\nDress rehearsal: ready; communication plan: ready; vendor and interface readiness: ready.\n',
    );
    expect(out).toContain(
      '\nAfter go-live: no go-live check of a planned workflow and no logged issue yet.\n',
    );
    // each SAFER guide by name, with its state against its gate
    expect(out).toContain('\nSafety self-assessment by the SAFER guides (2025):\n');
    expect(out).toContain(
      '\n  Patient Identification: meets its gate (4 fully implemented; gate: every practice at least partly).\n',
    );
    expect(
      out.match(
        /^ {2}.+: meets its gate \(\d+ fully implemented; gate: every practice at least partly\)\.$/gm,
      ),
    ).toHaveLength(8);
  });

  it('says a record awaits adjudication and is counted at its worst: exit 1', async () => {
    const { plan, review } = openDisagreement();
    const file = await writeProject('open.preflight.json', {
      ...goProject(),
      samplePlans: [plan],
      reviews: [review],
    });
    const { code, out } = await runCli(['readiness', file], dir);
    expect(code).toBe(1);
    expect(out).toContain(
      '\n  - [pre-launch] Sample plan “Patients sign-off”: 1 record waiting for an adjudicator, counted at its worst in the verdict until decided.\n',
    );
    expect(out).toMatch(
      /3 of 3 records reviewed \(1 not yet adjudicated, counted at worst: 1 error\), 0 of 1 stratum passed\./,
    );
  });

  it('names the roles without an owner among the risks, and stays a go', async () => {
    const go = goProject();
    const { roleOwners: _owners, ...settings } = go.meta.settings;
    const file = await writeProject('no-owners.preflight.json', { ...go, meta: { ...go.meta, settings } });
    const { code, out } = await runCli(['readiness', file], dir);
    expect(code).toBe(0);
    expect(out).toContain(
      "\nAt risk:\n  - [discovery] No owner is named for Front desk: record who speaks for the role's work and who was asked about it.\n",
    );
    expect(out).toContain('\nDiscovery: at risk\n');
    expect(out).toContain(
      '\n  0 of 1 role in the workflows have a named owner; 0 have stakeholders recorded.\n',
    );
  });

  it('exits 1 on no-go and lists the blocking reasons', async () => {
    const file = await writeProject('no-go.preflight.json', { ...goProject(), reports: [report(900)] });
    const { code, out } = await runCli(['readiness', file], dir);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe('no-go.preflight.json: NO-GO');
    expect(out).toContain(
      '\nWhy no-go:\n  - [pre-launch] patients.csv: only 90 % of records are valid (100 invalid); the gate is 99 %.',
    );
  });

  it('exits 1 when the clinic marks its rollback/downtime plan absent, and 0 once it is complete', async () => {
    const go = goProject();
    const absent = await writeProject('no-rollback.preflight.json', {
      ...go,
      meta: { ...go.meta, settings: withRollbackPlan(go.meta.settings, { present: false }) },
    });
    const no = await runCli(['readiness', absent], dir);
    expect(no.code).toBe(1);
    expect(no.out).toContain(
      '\nWhy no-go:\n  - [go-live] There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.',
    );
    const complete = await writeProject('rollback.preflight.json', go);
    expect((await runCli(['readiness', complete], dir)).code).toBe(0);
  });

  it('--json prints the core result itself, with the gates in effect', async () => {
    const project = { ...goProject(), reports: [report(900)] };
    const file = await writeProject('json.preflight.json', project);
    const { code, out } = await runCli(['readiness', file, '--json'], dir);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual(
      JSON.parse(
        JSON.stringify({
          ...assessReadiness(project),
          deciders: [],
          pathToGo: pathToGo(project, assessReadiness(project), localDay(new Date())),
        }),
      ),
    );
  });

  it('--json carries each forecast vs what happened after go-live; the text prints it under the board', async () => {
    const project = fixtureProject();
    project.workflowChecks = [
      {
        ...fixtureWorkflowCheck('w2'),
        observed: {
          cases: 40,
          activeHours: 8,
          meanCaseMin: 12,
          lanes: { nurse: { instances: 40, timed: 40, touchMin: 160, designedTouchMin: 120, people: 2 } },
        },
      },
    ];
    const file = await writeProject('forecast.preflight.json', project);
    const { out } = await runCli(['readiness', file, '--json'], dir);
    const { forecasts } = (JSON.parse(out) as { board: { forecasts?: unknown[] } }).board;
    expect(forecasts).toEqual([
      {
        workflow: 'Patient intake (future)',
        log: 'golive-week-12.csv',
        checkedAt: '2025-03-14T16:20:00.000Z',
        stale: false,
        comparison: expect.objectContaining({
          cases: 40,
          activeHours: 8,
          typed: false,
          casesPerHour: { forecast: 6, observed: 5, difference: -1, relative: -1 / 6 },
          productivityFactor: expect.objectContaining({ forecast: 0.7, observed: 0.75 }),
          roles: [
            expect.objectContaining({ role: 'Front desk', utilisation: null }),
            expect.objectContaining({
              role: 'Nurse',
              people: 2,
              utilisation: expect.objectContaining({ observed: expect.closeTo(1 / 3, 9) }),
            }),
          ],
          // an observation kept before the busiest hour was recorded compares as it did, and says so
          notCompared: [
            expect.objectContaining({ subject: 'The busiest hour' }),
            { subject: 'Front desk', reason: 'the workflow plans no staff time for this role.' },
          ],
        }),
      },
    ]);
    const text = (await runCli(['readiness', file], dir)).out;
    expect(text).toContain(
      '\n  “Patient intake (future)” (golive-week-12.csv, checked 2025-03-14; 40 cases over 8 working hours):\n    Patients an hour: forecast 6 (100 % of normal bookings), seen 5 (83.3 %) — 16.7 % under the forecast.\n',
    );
  });

  it('--json on the demo project has a path to go: each action with its gate, owner and due day', async () => {
    const demo = path.resolve('samples/projects/demo-clinic.preflight.json');
    const { code, out } = await runCli(['readiness', demo, '--json'], dir);
    expect(code).toBe(1);
    const json = JSON.parse(out) as { reasons: unknown[]; pathToGo: Record<string, unknown>[] };
    expect(json.pathToGo.length).toBeGreaterThan(0);
    expect(json.pathToGo.length).toBeLessThan(json.reasons.length);
    for (const action of json.pathToGo) {
      expect(Object.keys(action)).toEqual(
        expect.arrayContaining(['action', 'gate', 'owner', 'due', 'dueState', 'risk']),
      );
      // every action has an owner, or says which team role must name one and where
      if (action.owner === null) {
        expect(action.ownerFrom).toMatch(/^no owner is recorded for /);
        expect(action.ownerNamedBy).toEqual({ role: expect.any(String), where: expect.any(String) });
      }
      // the demo's go-live was in 2024: every day is past, flagged, never a plan
      expect(action.dueState).toBe('past');
    }
    expect(json.pathToGo).toContainEqual(
      expect.objectContaining({
        gate: 'minValidShare',
        owner: 'Tom Hale',
        due: '2024-07-26',
        dueState: 'past',
      }),
    );
    // highest risk first: the clinicians' sample leads
    expect(json.pathToGo[0]?.effect).toMatchObject({ kind: 'sign-off-sample' });
    // the text says the same path after the board, and flags the go-live day two years past
    const text = (await runCli(['readiness', demo], dir)).out;
    expect(text).toContain(
      `\nPath to go: ${json.pathToGo.length} actions clear ${json.reasons.length} blocking reasons, highest risk first.\n  Every due day of the path`,
    );
    expect(text).not.toMatch(/; due: 2024-/);
    expect(text).toMatch(/\nGO-LIVE DAY 2024-07-29 IS IN THE PAST \(\d+ days before \d{4}-\d{2}-\d{2}\)/);
  });

  it('opens with the board — phases, rehearsal trend, sign-off bound, capacity — and who decides', async () => {
    // two rehearsals of the extract: the last one worse and under the gate
    const project = {
      ...goProject(),
      reports: [report(995, 1000, '2026-11-18T10:00:00Z'), report(980, 1000, '2026-11-20T10:00:00Z')],
    };
    const { out } = await runCli(['readiness', await writeProject('board.preflight.json', project)], dir);
    const lines = out.split('\n');
    expect(lines[2]).toMatch(
      /^Phases: Discovery ready \(0 blocking, 0 at risk\) · .* · Pre-launch BLOCKED \(1 blocking, \d+ at risk\) · Go-live /,
    );
    expect(out).toContain(
      '\nRehearsals of patients.csv: 2026-11-18 99.5 % → 2026-11-20 98 % ✖ valid (gate 99 %); WORSE than the run before.\n',
    );
    expect(out).toMatch(
      /\nSign-off of “.+”: passes — \d+ of \d+ reviewed; error rate at most [\d.]+ % at 95 % confidence \(target [\d.]+ %\)\.\n/,
    );
    expect(out).toMatch(
      /\nCapacity of “.+”: within its gates — peak hour .+ \(gate 85 %\) and go-live week .+ \(gate 85 %\)\.\n/,
    );
    expect(out).toContain(
      '\nWho decides: the steering committee. No approver is on the project’s roster yet, so anyone recorded may sign: add the committee to the roster.\n',
    );
  });

  it('judges against the gates saved in the project', async () => {
    const base = goProject();
    const project = {
      ...base,
      meta: { ...base.meta, settings: { ...base.meta.settings, readinessGates: { minValidShare: 0.9 } } },
      reports: [report(900)],
    };
    const { code, out } = await runCli(
      ['readiness', await writeProject('gated.preflight.json', project)],
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain('extracts ≥ 90 % valid');
  });

  it('prints the steering decision and that it is current while the evidence is unchanged', async () => {
    const { project, decision } = decidedProject(goProject());
    const { code, out } = await runCli(
      ['readiness', await writeProject('decided.preflight.json', project)],
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain(
      `\nSteering committee decision: GO (current), signed by Dr Ines Moreau (Medical director, MD-1) on 2026-11-24T10:00:00+01:00, without re-authentication, signature verifies.\n  It was taken on the readiness result as it is now (sha256 ${decision.resultSha256}).\n  Rationale: Every gate passes; the support rota is agreed.\n`,
    );
    const json = await runCli(['readiness', 'decided.preflight.json', '--json'], dir);
    expect(JSON.parse(json.out).steering).toMatchObject({
      resultSha256: decision.resultSha256,
      latest: { id: 'dec-1', decision: 'go', state: 'current' },
    });
  });

  it('marks the decision stale once the evidence changed, and keeps the computed exit code', async () => {
    const { project, decision } = decidedProject(goProject());
    const changed = { ...project, reports: [report(900, 1000, '2026-11-25T08:00:00Z')] };
    const { code, out } = await runCli(
      ['readiness', await writeProject('stale.preflight.json', changed)],
      dir,
    );
    expect(code).toBe(1);
    const now = assessReadiness(changed).steering.resultSha256;
    expect(now).not.toBe(decision.resultSha256);
    expect(out).toContain(
      `\nSteering committee decision: GO (STALE), signed by Dr Ines Moreau (Medical director, MD-1) on 2026-11-24T10:00:00+01:00, without re-authentication, signature verifies.\n  The evidence changed after it was taken: it bound result sha256 ${decision.resultSha256}, the result now is ${now}. The committee must decide again.\n`,
    );
    const json = await runCli(['readiness', 'stale.preflight.json', '--json'], dir);
    expect(JSON.parse(json.out).steering.latest.state).toBe('stale');
  });

  it('says when a signature no longer verifies (the decision was edited after signing)', async () => {
    const { project, decision } = decidedProject(goProject());
    const edited = {
      ...project,
      meta: {
        ...project.meta,
        settings: {
          ...project.meta.settings,
          steeringDecisions: [{ ...decision, rationale: 'Edited later.' }],
        },
      },
    };
    const { out } = await runCli(
      ['readiness', await writeProject('edited-decision.preflight.json', edited)],
      dir,
    );
    expect(out).toContain(
      'without re-authentication, SIGNATURE DOES NOT VERIFY (its content or the decision it signs was changed after signing).',
    );
  });

  it('says when no decision is recorded', async () => {
    const { out } = await runCli(
      ['readiness', await writeProject('undecided.preflight.json', goProject())],
      dir,
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe('undecided.preflight.json: GO');
    expect(lines[lines.findIndex((l) => l.startsWith('Who decides:')) + 1]).toBe(
      'Steering committee decision: none recorded.',
    );
  });

  it.each([
    {
      name: 'a missing file',
      setup: async () => 'missing.json',
      says: /cannot read project file "missing\.json": no such file\./,
    },
    {
      name: 'text that is not JSON',
      setup: async () => {
        await writeFile(path.join(dir, 'broken.json'), '{ "format": ');
        return 'broken.json';
      },
      says: /project file "broken\.json": .*line 1/,
    },
    {
      name: 'another kind of Preflight file',
      setup: async () => {
        const workflow = await readFile(
          path.join(import.meta.dirname, '../../../samples/workflows/lab-results.current.json'),
          'utf8',
        );
        await writeFile(path.join(dir, 'workflow.json'), workflow);
        return 'workflow.json';
      },
      says: /"workflow\.json" is not a usable project file: .*Check it with "preflight check workflow\.json"\./,
    },
    {
      name: 'a project file edited after export',
      setup: async () => {
        const name = await writeProject('edited.preflight.json', goProject());
        const text = await readFile(path.join(dir, name), 'utf8');
        await writeFile(path.join(dir, name), text.replace('"Clinic"', '"Clinic B"'));
        return name;
      },
      says: /\/integrity\/sha256: the project does not match its integrity hash/,
    },
    {
      name: 'a steering decision without a signature',
      setup: async () => {
        const { project, decision } = decidedProject(goProject());
        return writeProject('unsigned.preflight.json', {
          ...project,
          meta: {
            ...project.meta,
            settings: { ...project.meta.settings, steeringDecisions: [{ ...decision, signatures: [] }] },
          },
        });
      },
      says: /\/project\/meta\/settings\/steeringDecisions\/0\/signatures: /,
    },
  ])('exits 2 on $name, saying where and what', async ({ setup, says }) => {
    const file = await setup();
    const { code, out, err } = await runCli(['readiness', file], dir);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(says);
  });

  describe('--audit-log: the chain that records the steering signatures', () => {
    const { project, decision } = decidedProject(goProject());
    const entries = pendingTrailEntries(undefined, trailSubjects({ steering: [decision] }), new Set());
    const log = (content: Partial<Parameters<typeof createAuditLogFile>[0]> = {}) =>
      createAuditLogFile({
        projectId: project.meta.id,
        exportedAt: '2026-11-24T11:00:00Z',
        entries,
        steering: [decision],
        ...content,
      });
    const head = entries[0]?.hash ?? '';
    it.each([
      {
        description: 'an intact chain: its head is printed, the exit code is the computed one',
        file: () => log(),
        code: 0,
        out: `\n\nAudit log: 1 entry, chain intact, 1 steering signature recorded; head ${head}.`,
        err: '',
      },
      {
        description: 'a chain without the latest signature says so',
        file: () => log({ entries: [] }),
        code: 0,
        out: "Audit log: 0 entries, chain intact, 0 steering signatures recorded; head 0000000000000000000000000000000000000000000000000000000000000000. 1 of the latest decision's signatures is not in it yet.",
        err: '',
      },
      {
        description: 'an entry edited: exit 1, naming the entry',
        file: () => log({ entries: entries.map((e) => ({ ...e, staffId: 'PM-3' })) }),
        code: 1,
        out: 'Audit log broken at entry 1: its content does not match its hash: it was changed.',
        err: 'preflight readiness: the audit log does not verify (entry 1: its content does not match its hash: it was changed).',
      },
      {
        description: 'another project’s log: exit 2',
        file: () => log({ projectId: 'another-project' }),
        code: 2,
        out: '',
        err: 'is the audit log of another project',
      },
      {
        description: 'not an audit log: exit 2',
        file: () => ({ format: 'something else' }),
        code: 2,
        out: '',
        err: 'is not an audit log (preflight.auditlog/v1)',
      },
    ])('$description', async ({ file, code, out, err }) => {
      const name = await writeProject('chained.preflight.json', project);
      await writeFile(path.join(dir, 'audit.json'), JSON.stringify(file()));
      const ran = await runCli(['readiness', name, '--audit-log', 'audit.json'], dir);
      expect(ran.code).toBe(code);
      expect(ran.out).toContain(out);
      expect(ran.err).toContain(err);
      if (code === 0) {
        const json = await runCli(['readiness', name, '--audit-log', 'audit.json', '--json'], dir);
        expect(JSON.parse(json.out).auditChain).toMatchObject({ state: 'intact' });
      }
    });
  });

  it('exits 2 without exactly one file', async () => {
    expect((await runCli(['readiness'], dir)).code).toBe(2);
    expect((await runCli(['readiness', 'a.json', 'b.json'], dir)).code).toBe(2);
  });

  it('has help', async () => {
    const { code, out } = await runCli(['readiness', '--help'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Usage: preflight readiness \[--json\] \[--audit-log <file>\] \[--pack <out.pdf>\] \[--\] <project-file>/,
    );
    expect(out).toContain('Exit codes: 0 go; 1 no-go (or, with --audit-log, a broken chain); 2 bad usage');
  });
});
