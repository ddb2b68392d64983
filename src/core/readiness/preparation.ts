/**
 * The go-live's preparation records, judged: the dress rehearsal for the Pre-launch phase, the
 * communication plan and vendor/interface readiness for the Go-live phase
 * (src/formats/goLivePreparation.ts holds the records).
 *
 * - Dress rehearsal: every role whose work changes (as Training finds them: the roles with
 *   something new to do on the day) has a mock go-live,
 *   its scripts all passed and no issue it found still open; a peak-load rehearsal ran at no fewer
 *   cases an hour than the busiest planned workflow's peak (the load the capacity simulation
 *   judges) and the clinic held. Under `requireDressRehearsal` each shortfall blocks; otherwise it
 *   is a risk. Missing altogether, it is a risk (or a block) — never a pass by absence.
 * - Communication plan: each communication has an owner and a due day. No gate: what is wanting
 *   is a risk.
 * - Vendor and interface readiness: each partner is ready, owned, and an interface marked ready
 *   was tested end to end. Under `requirePartnersReady` a partner not ready or unowned blocks.
 *
 * Pure: the same project gives the same judgement.
 */
import {
  type CommunicationPlan,
  type DressRehearsal,
  type PartnerReadiness,
  type PartnerStatus,
  readCommunicationPlan,
  readDressRehearsal,
  readPartnerReadiness,
} from '../../formats/goLivePreparation.ts';
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { changedRoles } from './training.ts';
import type { JudgedPart, PreparationSummary, ReadinessReason } from './types.ts';

import { count, list, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

export type { JudgedPart, PreparationState, PreparationSummary } from './types.ts';

/** The reason every go-live carries until the clinic records its dress rehearsal. */
const REHEARSAL_NOT_RECORDED =
  'No dress rehearsal is recorded: hold a mock go-live per role and a peak-load rehearsal, and record them on the Readiness screen.';
/** The reason every go-live carries until the clinic records its communication plan. */
const COMMUNICATION_NOT_RECORDED =
  'No communication plan is recorded: say who is told what about go-live, by whom and by when, on the Readiness screen.';
/** The reason every go-live carries until the clinic records its vendors and interface partners. */
const PARTNERS_NOT_RECORDED =
  'No vendor or interface readiness is recorded: list each vendor and interface partner with its owner and state on the Readiness screen.';

/** How a partner's state reads. */
export const PARTNER_STATUS_WORDS: Readonly<Record<PartnerStatus, string>> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  ready: 'ready',
  blocked: 'blocked',
};

/** The busiest peak any planned workflow plans, in cases an hour (0 with none). */
function simulatedPeak(workflows: WorkflowEvidence): { casesPerHour: number; workflow?: string } {
  let top: { casesPerHour: number; workflow?: string } = { casesPerHour: 0 };
  for (const p of workflows.planned)
    if (p.workflow.arrivalsPerHour > top.casesPerHour)
      top = { casesPerHour: p.workflow.arrivalsPerHour, workflow: p.workflow.name };
  return top;
}

function judgeRehearsal(
  record: DressRehearsal | null,
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
): JudgedPart & { summary: PreparationSummary['rehearsal'] } {
  const blocks = gates.requireDressRehearsal;
  const reason = (text: string): ReadinessReason => ({
    blocks,
    text,
    act: 'readiness',
    ...(blocks ? { gate: 'requireDressRehearsal' as const } : {}),
  });
  const empty = { roles: 0, scriptsRun: 0, scriptsPassed: 0, issuesOpen: 0 };
  if (!record)
    return {
      evidence: ['Dress rehearsal: not recorded.'],
      reasons: [reason(REHEARSAL_NOT_RECORDED)],
      summary: { state: 'not-recorded', ...empty },
    };
  const reasons: ReadinessReason[] = [];
  const toRehearse = new Set(workflows.planned.flatMap((p) => changedRoles(p).map((r) => r.name)));
  const held = new Set(record.roles.map((r) => r.role));
  const missing = [...toRehearse].filter((r) => !held.has(r));
  if (missing.length > 0)
    reasons.push(
      reason(
        `Dress rehearsal: no mock go-live for ${list(missing)}, whose work changes. Hold one and record it.`,
      ),
    );
  for (const r of record.roles) {
    const failed = r.scriptsRun - r.scriptsPassed;
    if (r.scriptsRun === 0) reasons.push(reason(`Dress rehearsal: ${r.role} ran no test script.`));
    else if (failed > 0)
      reasons.push(
        reason(
          `Dress rehearsal: ${r.role} failed ${count(failed)} of ${plural(r.scriptsRun, 'script')}. Fix and run them again.`,
        ),
      );
    if (r.issuesOpen > 0)
      reasons.push(
        reason(
          `Dress rehearsal: ${plural(r.issuesOpen, 'issue')} ${r.role} found ${r.issuesOpen === 1 ? 'is' : 'are'} still open.`,
        ),
      );
  }
  const peak = simulatedPeak(workflows);
  const load = record.peakLoad;
  if (!load)
    reasons.push(
      reason(
        `Dress rehearsal: no peak-load rehearsal is recorded${peak.casesPerHour > 0 ? `; the capacity simulation plans a peak of ${count(peak.casesPerHour)} cases an hour (“${peak.workflow}”)` : ''}.`,
      ),
    );
  else {
    if (load.casesPerHour < peak.casesPerHour)
      reasons.push(
        reason(
          `Dress rehearsal: the peak-load rehearsal ran at ${count(load.casesPerHour)} cases an hour, under the peak of ${count(peak.casesPerHour)} the capacity simulation plans (“${peak.workflow}”). Rehearse at the peak.`,
        ),
      );
    if (load.outcome === 'failed')
      reasons.push(
        reason('Dress rehearsal: the clinic did not hold at peak load. Fix what failed and rehearse again.'),
      );
  }
  const sum = (f: (r: DressRehearsal['roles'][number]) => number) =>
    record.roles.reduce((n, r) => n + f(r), 0);
  const totals = {
    roles: record.roles.length,
    scriptsRun: sum((r) => r.scriptsRun),
    scriptsPassed: sum((r) => r.scriptsPassed),
    issuesOpen: sum((r) => r.issuesOpen),
  };
  const evidence = [
    `Dress rehearsal: ${plural(totals.roles, 'role')} rehearsed (${count(totals.scriptsPassed)} of ${plural(totals.scriptsRun, 'script')} passed, ${plural(
      sum((r) => r.issuesFound),
      'issue',
    )} found, ${count(totals.issuesOpen)} open); ${
      load
        ? `peak-load rehearsal at ${count(load.casesPerHour)} cases an hour${load.date ? ` on ${load.date}` : ''}, ${load.outcome === 'held' ? 'held' : 'did not hold'}`
        : 'no peak-load rehearsal'
    }${peak.casesPerHour > 0 ? ` (the simulated peak: ${count(peak.casesPerHour)})` : ''}.`,
  ];
  return {
    evidence,
    reasons,
    summary: {
      state: reasons.length > 0 ? 'incomplete' : 'ready',
      ...totals,
      ...(load
        ? {
            peakLoad: {
              casesPerHour: load.casesPerHour,
              outcome: load.outcome,
              simulatedPeak: peak.casesPerHour,
            },
          }
        : {}),
    },
  };
}

function judgeCommunication(
  plan: CommunicationPlan | null,
): JudgedPart & { summary: PreparationSummary['communication'] } {
  const risk = (text: string): ReadinessReason => ({ blocks: false, text, act: 'readiness' });
  if (!plan)
    return {
      evidence: ['Communication plan: not recorded.'],
      reasons: [risk(COMMUNICATION_NOT_RECORDED)],
      summary: { state: 'not-recorded', items: 0, done: 0 },
    };
  const reasons: ReadinessReason[] = [];
  if (plan.items.length === 0) reasons.push(risk('Communication plan: no communication is listed.'));
  const wanting = plan.items
    .map((c) => ({ c, missing: [...(c.owner ? [] : ['no owner']), ...(c.due ? [] : ['no due day'])] }))
    .filter((x) => x.missing.length > 0);
  if (wanting.length > 0)
    reasons.push(
      risk(
        `Communication plan: ${wanting.map((x) => `“${x.c.message}” to ${x.c.audience} has ${list(x.missing)}`).join('; ')}.`,
      ),
    );
  const done = plan.items.filter((c) => c.status === 'done').length;
  return {
    evidence: [
      `Communication plan: ${plural(plan.items.length, 'communication')} (${count(done)} done) to ${list([...new Set(plan.items.map((c) => c.audience))])}.`,
    ],
    reasons,
    summary: { state: reasons.length > 0 ? 'incomplete' : 'ready', items: plan.items.length, done },
  };
}

function judgePartners(
  readiness: PartnerReadiness | null,
  gates: ReadinessGates,
): JudgedPart & { summary: PreparationSummary['partners'] } {
  const counts: Record<PartnerStatus, number> = { 'not-started': 0, 'in-progress': 0, ready: 0, blocked: 0 };
  const blocks = gates.requirePartnersReady;
  const reason = (text: string, gated = true): ReadinessReason => ({
    blocks: blocks && gated,
    text,
    act: 'readiness',
    ...(blocks && gated ? { gate: 'requirePartnersReady' as const } : {}),
  });
  if (!readiness)
    return {
      evidence: ['Vendor and interface readiness: not recorded.'],
      reasons: [reason(PARTNERS_NOT_RECORDED)],
      summary: { state: 'not-recorded', counts },
    };
  const reasons: ReadinessReason[] = [];
  for (const p of readiness.partners) {
    counts[p.status] += 1;
    const what = `${p.kind === 'interface' ? 'the interface' : 'the vendor'} “${p.name}”`;
    if (p.status !== 'ready')
      reasons.push(
        reason(
          `Vendor and interface readiness: ${what} is ${PARTNER_STATUS_WORDS[p.status]}${p.owner ? ` (owner: ${p.owner})` : ''}${p.note ? `: ${p.note}` : ''}.`,
        ),
      );
    if (!p.owner) reasons.push(reason(`Vendor and interface readiness: ${what} has no owner.`));
    if (p.kind === 'interface' && p.status === 'ready' && !p.tested)
      reasons.push(
        reason(
          `Vendor and interface readiness: ${what} is marked ready but no end-to-end test day is recorded.`,
          false,
        ),
      );
  }
  const states = (['ready', 'in-progress', 'not-started', 'blocked'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${count(counts[s])} ${PARTNER_STATUS_WORDS[s]}`);
  return {
    evidence: [
      `Vendor and interface readiness: ${plural(readiness.partners.length, 'partner')}${states.length > 0 ? ` (${list(states)})` : ''}.`,
    ],
    reasons,
    summary: {
      state: reasons.length > 0 || readiness.partners.length === 0 ? 'incomplete' : 'ready',
      counts,
    },
  };
}

/** The three records of `project` judged (see the header). */
export function judgePreparation(
  project: Project,
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
): { preLaunch: JudgedPart; goLive: JudgedPart; summary: PreparationSummary } {
  const rehearsal = judgeRehearsal(readDressRehearsal(project.meta.settings), workflows, gates);
  const communication = judgeCommunication(readCommunicationPlan(project.meta.settings));
  const partners = judgePartners(readPartnerReadiness(project.meta.settings), gates);
  return {
    preLaunch: { evidence: rehearsal.evidence, reasons: rehearsal.reasons },
    goLive: {
      evidence: [...communication.evidence, ...partners.evidence],
      reasons: [...communication.reasons, ...partners.reasons],
    },
    summary: {
      rehearsal: rehearsal.summary,
      communication: communication.summary,
      partners: partners.summary,
    },
  };
}
