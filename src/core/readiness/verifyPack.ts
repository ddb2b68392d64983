/**
 * Verifying an evidence pack's JSON after it left Preflight: that it is the pack as made (every
 * hash it states recomputes from what it carries), that the steering committee's signatures are
 * intact and bind the readiness result the pack shows, and, given the project, that the artefacts
 * the pack names are still the project's.
 *
 * A project file is one browser's copy of the project, taken when it was exported. A pack judged on
 * a team's shared record (`judgedOn`) is compared with the copy's shared records alone, as the pack
 * was made from them; the shared workflows, validation summaries and sample results it lists are
 * the team server's. Given the team's evidence as a signed-in member's browser read it from the
 * server (`team`), they are compared with it, made into artefacts exactly as the Readiness screen
 * makes the pack; without it (a project file, a browser signed out or offline) they are counted as
 * not compared, never judged stale or current from a copy that cannot know.
 *
 * Two kinds of failure are told apart: *tampered* — the pack contradicts itself (a field changed
 * after it was made, a hash that does not recompute, a signature that does not verify); *stale* —
 * the pack is intact but the world moved on (the decision bound another result, or the project's
 * evidence changed since). Messages name the field, never its value.
 */

import { isPlainObject } from '../../formats/loading.ts';
import type { Project } from '../../formats/project.ts';
import { readSteeringDecisions, type SteeringDecision } from '../../formats/steering.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import {
  EVIDENCE_PACK_FORMAT,
  type EvidencePack,
  PACK_JUDGED_ON_TEAM,
  type PackArtefact,
  packArtefacts,
  packSeal,
  TEAM_HELD_ARTEFACTS,
} from './evidencePack.ts';
import { describeGates } from './gates.ts';
import { sharedReadinessProject, sharedReportSummaries, type TeamEvidence } from './shared.ts';
import { readinessResultHash, verifySteeringSignature } from './steering.ts';
import type { TeamSample } from './teamSample.ts';

/** One thing that does not verify, with the field it is about (a JSON path such as `phases[2].status`). */
export interface PackProblem {
  kind: 'tampered' | 'stale';
  field: string;
  message: string;
}

/** The verdict on a pack. */
export type PackVerification =
  | { verdict: 'unreadable'; message: string }
  | {
      verdict: 'verified' | 'tampered' | 'stale';
      problems: PackProblem[];
      /** what was checked, one line each, for the report */
      checked: string[];
      /**
       * with a project, for a pack judged on a team's shared record: the artefacts the team server
       * holds (shared workflows, validation summaries, sample results) that the project file,
       * one browser's copy, was not compared with
       */
      teamHeld?: number;
      /**
       * for a pack judged on a team's shared record, given the team's evidence: its shared
       * workflows and validation summaries (and its sample results, when read) were compared with
       * the team server's as read; `teamHeld` then counts only what could not be read
       */
      againstTeam?: true;
    };

/**
 * The evidence of a shared project the team server holds apart from its records, as a signed-in
 * member's browser read it for its Readiness: the shared workflows and validation summaries, and
 * the server's sample results (absent: they could not be read, and the sign-offs are not compared).
 */
export interface PackTeamRecord extends Required<TeamEvidence> {
  teamSamples?: readonly TeamSample[];
}

const hash = (value: unknown) => canonicalSha256Hex(value);

/** Same canonical content (key order does not matter, array order does). */
const same = (a: unknown, b: unknown) => hash(a ?? null) === hash(b ?? null);

/**
 * Verifies `json` (a parsed evidence pack), against `project` when given, and for a pack judged on
 * a team's shared record against the team's evidence `team` when given (read from the server by a
 * signed-in member). Never throws; a value that is not an evidence pack, or a project that is
 * another one, is `unreadable`.
 */
export async function verifyEvidencePack(
  json: unknown,
  project?: Project,
  team?: PackTeamRecord,
): Promise<PackVerification> {
  if (!isPlainObject(json) || json.format !== EVIDENCE_PACK_FORMAT)
    return {
      verdict: 'unreadable',
      message: `it is not an evidence pack (${EVIDENCE_PACK_FORMAT}): download it from the Readiness screen`,
    };
  if (project && isPlainObject(json.project) && json.project.id !== project.meta.id)
    return {
      verdict: 'unreadable',
      message: 'the project file is another project than the one the pack was made for',
    };
  const pack = json as unknown as EvidencePack;
  const problems: PackProblem[] = [];
  const checked: string[] = [];
  const tampered = (field: string, message: string) => problems.push({ kind: 'tampered', field, message });
  const stale = (field: string, message: string) => problems.push({ kind: 'stale', field, message });

  // 1. the seal: each field's hash, then the hashes together
  if (!isPlainObject(pack.seal) || !isPlainObject(pack.seal.fields) || typeof pack.seal.sha256 !== 'string') {
    tampered(
      'seal',
      'the pack carries no seal: it was made before packs could be verified, or the seal was removed; download the pack again',
    );
  } else {
    const stated = pack.seal.fields;
    const { fields: actual } = packSeal(json);
    for (const key of new Set([...Object.keys(stated), ...Object.keys(actual)])) {
      if (!(key in actual)) tampered(key, 'was removed after the pack was made');
      else if (!(key in stated)) tampered(key, 'was added after the pack was made');
      else if (stated[key] !== actual[key]) tampered(key, 'was changed after the pack was made');
    }
    if (hash(stated) !== pack.seal.sha256) tampered('seal', 'the seal itself was changed');
    checked.push('seal: each field hashed as the pack states');
  }

  // 2. the readiness result: its hash, and what the pack shows of it
  try {
    const result = pack.result;
    if (!isPlainObject(result)) {
      tampered('result', 'the readiness result the pack was made from is missing');
    } else {
      if (readinessResultHash(result as Parameters<typeof readinessResultHash>[0]) !== pack.resultSha256)
        tampered('resultSha256', 'is not the hash of the readiness result the pack carries');
      else checked.push(`readiness result: hashes to ${pack.resultSha256}`);
      if (pack.decision !== result.decision) tampered('decision', 'differs from the readiness result');
      if (!same(pack.gates, Array.isArray(result.gates) ? null : describeGates(result.gates)))
        tampered('gates', 'differ from the gates of the readiness result');
      const phases = Array.isArray(pack.phases) ? pack.phases : [];
      if (phases.length !== result.phases.length)
        tampered('phases', 'a phase was added or removed after the pack was made');
      result.phases.forEach((judged, i) => {
        const shown = phases[i];
        if (!shown) return;
        if (shown.id !== judged.id) tampered(`phases[${i}].id`, 'phases were reordered or renamed');
        else if (shown.status !== judged.status)
          tampered(`phases[${i}].status`, `the ${judged.id} status differs from the readiness result`);
        else if (!same(shown.evidence, judged.evidence))
          tampered(`phases[${i}].evidence`, `the ${judged.id} evidence differs from the readiness result`);
        else if (
          !same(
            shown.reasons?.map((r) => r.text),
            judged.reasons.map((r) => r.text),
          )
        )
          tampered(`phases[${i}].reasons`, `the ${judged.id} reasons differ from the readiness result`);
      });
      const texts = (list: unknown) =>
        Array.isArray(list) ? list.map((r) => (r as { text?: unknown }).text) : null;
      if (!same(texts(pack.reasons), texts(result.reasons)))
        tampered('reasons', 'the blocking reasons differ from the readiness result');
      if (!same(texts(pack.risks), texts(result.risks)))
        tampered('risks', 'the risks differ from the readiness result');
    }
  } catch {
    // a field of the wrong type (edited by hand) is a changed pack, not a crash
    tampered('result', 'does not have the shape of a readiness result');
  }

  // 3. the steering decision: its signatures, and whether it binds this result
  try {
    const decision = pack.steeringDecision;
    const latest = pack.steering?.latest;
    if (pack.steering?.resultSha256 !== pack.resultSha256)
      tampered('steering.resultSha256', 'differs from the readiness result hash the pack states');
    if (decision === undefined) {
      if (latest) tampered('steeringDecision', 'the signed decision the pack shows is missing');
      else checked.push('steering decision: none recorded when the pack was made');
    } else if (
      !isPlainObject(decision) ||
      !Array.isArray(decision.signatures) ||
      decision.signatures.length === 0
    ) {
      tampered('steeringDecision', 'the signed decision carries no signatures');
    } else {
      const signed = decision as SteeringDecision;
      const checks = await Promise.all(
        signed.signatures.map((s) => verifySteeringSignature(signed, s, project?.meta.roster)),
      );
      checks.forEach((c, i) => {
        if (!c.ok) tampered(`steeringDecision.signatures[${i}]`, `does not verify: ${c.message}`);
      });
      if (
        !latest ||
        latest.id !== signed.id ||
        latest.decision !== signed.decision ||
        latest.resultSha256 !== signed.resultSha256 ||
        !same(
          latest.signers.map((s) => s.id),
          signed.signatures.map((s) => s.signer.id),
        )
      )
        tampered('steering.latest', 'differs from the signed decision the pack carries');
      if (signed.resultSha256 !== pack.resultSha256)
        stale(
          'steeringDecision.resultSha256',
          'the committee decided on another readiness result than the one in this pack: it must decide again',
        );
      if (checks.every((c) => c.ok))
        checked.push(
          `steering decision: ${checks.length} signature(s) verify over a ${signed.decision} decision on result ${signed.resultSha256}`,
        );
    }
  } catch {
    // a field of the wrong type (edited by hand) is a changed pack, not a crash
    tampered('steeringDecision', 'does not have the shape of a signed steering decision');
  }

  // 4. the project: each artefact the pack names, as the project holds it now. A pack judged on a
  // team's shared record is compared with the file's shared records (as the pack was made), and
  // with the team's evidence when given; what the team server holds and was not given is counted,
  // not judged
  let teamHeld: number | undefined;
  let againstTeam = false;
  try {
    if (project) {
      const judgedOnTeam = pack.judgedOn === PACK_JUDGED_ON_TEAM;
      againstTeam = judgedOnTeam && team !== undefined;
      // the sample results are the one part of the team's evidence that may be unread
      const unread = (kind: PackArtefact['kind']) =>
        !againstTeam || (kind === 'sign-off' && !team?.teamSamples);
      const held = (kind: unknown) =>
        judgedOnTeam &&
        TEAM_HELD_ARTEFACTS.has(kind as PackArtefact['kind']) &&
        unread(kind as PackArtefact['kind']);
      const now =
        judgedOnTeam && team
          ? packArtefacts(sharedReadinessProject(project, team), {
              reportSummaries: sharedReportSummaries(team.reportSummaries),
              ...(team.teamSamples ? { teamSamples: team.teamSamples } : {}),
            })
          : packArtefacts(judgedOnTeam ? sharedReadinessProject(project) : project);
      // an artefact compared with the team server's evidence, not the project's: said so in the words
      const onTeam = (kind: unknown) => againstTeam && TEAM_HELD_ARTEFACTS.has(kind as PackArtefact['kind']);
      const phases = Array.isArray(pack.phases) ? pack.phases : [];
      let matched = 0;
      let matchedOnServer = 0;
      const onServer = new Set<string>();
      for (const [i, phase] of phases.entries()) {
        const current = now[phase.id] ?? [];
        const listed = Array.isArray(phase.artefacts) ? phase.artefacts : [];
        for (const [j, a] of listed.entries()) {
          if (held(a.kind)) {
            onServer.add(`${a.kind}\u0000${a.id}`);
            continue;
          }
          const there = current.find((c) => c.kind === a.kind && c.id === a.id);
          if (!there)
            stale(
              `phases[${i}].artefacts[${j}]`,
              `the ${a.kind} is no longer ${onTeam(a.kind) ? 'on the team server' : 'in the project'}`,
            );
          else if (there.sha256 !== a.sha256)
            stale(
              `phases[${i}].artefacts[${j}]`,
              `the ${a.kind} changed ${onTeam(a.kind) ? 'on the team server' : 'in the project'} after the pack was made`,
            );
          else if (onTeam(a.kind)) matchedOnServer++;
          else matched++;
        }
        for (const c of current)
          if (!held(c.kind) && !listed.some((a) => a.kind === c.kind && a.id === c.id))
            stale(
              `phases[${i}].artefacts`,
              `a ${c.kind} was added ${onTeam(c.kind) ? 'on the team server' : 'to the project'} after the pack was made`,
            );
      }
      const latestNow = readSteeringDecisions(project.meta.settings).at(-1);
      if (latestNow && latestNow.id !== pack.steeringDecision?.id)
        stale(
          'steeringDecision',
          'the committee recorded a later decision in the project after the pack was made',
        );
      checked.push(`project: ${matched} artefact(s) hash as the pack states`);
      if (againstTeam)
        checked.push(
          `team server: ${matchedOnServer} artefact(s) (shared workflows, validation summaries, sample results) hash as the pack states, as read from the server`,
        );
      if (judgedOnTeam && (!againstTeam || onServer.size > 0)) {
        teamHeld = onServer.size;
        checked.push(
          againstTeam
            ? `team server: ${onServer.size} sample result(s) not compared: they could not be read from the server`
            : `project: ${onServer.size} artefact(s) held by the team server (shared workflows, validation summaries, sample results) not compared: a project file does not hold them`,
        );
      }
    }
  } catch {
    // a field of the wrong type (edited by hand) is a changed pack, not a crash
    tampered('phases', 'do not have the shape the pack format gives them');
  }

  const verdict = problems.some((p) => p.kind === 'tampered')
    ? 'tampered'
    : problems.length > 0
      ? 'stale'
      : 'verified';
  return {
    verdict,
    problems,
    checked,
    ...(teamHeld === undefined ? {} : { teamHeld }),
    ...(againstTeam ? { againstTeam: true as const } : {}),
  };
}
