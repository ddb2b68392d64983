/**
 * The reads of a shared project the screens share through the browser's one cache (teamQuery.ts),
 * one row each: the kind of change that makes it stale, what it reads, and the route it reads
 * through. Two screens that show the same thing name the same row, so they share one copy and one
 * request; a screen that needs less of an answer picks from it.
 */

import type { TeamSample } from '../../core/readiness/index.ts';
import {
  listInvitationsRoute,
  listProjectsRoute,
  openProjectRoute,
  signingKeysRoute,
  steeringDecisionsRoute,
} from '../../core/teamApi/index.ts';
import { TeamError, teamCall } from '../../storage/teamServer.ts';
import {
  assignedRecords,
  listServerReviews,
  readDecisions,
  readReviewSignatures,
  sampleResultsOnServer,
} from '../signoff/serverReviews.ts';
import { namedVersions, openSharedWorkflow, sharedWorkflows } from '../workflows/shared/teamApi.ts';
import { readAllRecords } from './sharedRecordsRead.ts';
import type { TeamReadSpec, TeamServerReadSpec } from './teamQuery.ts';

/**
 * The team projects the person is a member of, each with her role there: stale when a project she
 * follows is renamed or its roster changes (her role among them); a project she is added to
 * elsewhere shows when a screen that lists them opens again.
 */
export const teamProjectsRead = {
  kind: 'members',
  what: 'projects',
  alsoOn: ['project'],
  read: async (session) => (await teamCall(session, listProjectsRoute)).projects,
} satisfies TeamServerReadSpec<unknown>;

/** The project as the member sees it: its name, her role and actions, the roster. */
export const teamProjectRead = {
  kind: 'members',
  what: 'project',
  alsoOn: ['project'],
  read: (session, projectId) => teamCall(session, openProjectRoute, { params: { projectId } }),
} satisfies TeamReadSpec<unknown>;

/** The project's shared workflows, by name and head (none opened). */
export const sharedWorkflowListRead = {
  kind: 'workflows',
  what: 'list',
  read: sharedWorkflows,
} satisfies TeamReadSpec<unknown>;

/** One shared workflow as the server has it at its head. */
export const sharedWorkflowRead = {
  kind: 'workflows',
  what: 'open',
  read: openSharedWorkflow,
} satisfies TeamReadSpec<unknown, [string]>;

/** A shared workflow's named versions, oldest first. */
export const namedVersionsRead = {
  kind: 'workflows',
  what: 'versions',
  read: namedVersions,
} satisfies TeamReadSpec<unknown, [string]>;

/** Every shared record of the project (summaries of members' runs among them). */
export const sharedRecordsRead = {
  kind: 'records',
  what: 'all',
  read: readAllRecords,
} satisfies TeamReadSpec<unknown>;

/** The project's signing keys (who registered, who confirmed, who revoked) and its signing idle time. */
export const signingKeysRead = {
  kind: 'signing-keys',
  what: 'keys',
  alsoOn: ['members'],
  read: (session, projectId) => teamCall(session, signingKeysRoute, { params: { projectId } }),
} satisfies TeamReadSpec<unknown>;

/** The project's invitations not yet redeemed (a joining changes the roster, which ends one). */
export const invitationsRead = {
  kind: 'project',
  what: 'invitations',
  alsoOn: ['members'],
  read: async (session, projectId) =>
    (await teamCall(session, listInvitationsRoute, { params: { projectId } })).invitations,
} satisfies TeamReadSpec<unknown>;

/** The go/no-go decisions the steering committee signed on the server, with their signatures. */
export const steeringDecisionsRead = {
  kind: 'steering',
  what: 'decisions',
  read: async (session, projectId) =>
    (await teamCall(session, steeringDecisionsRoute, { params: { projectId } })).decisions,
} satisfies TeamReadSpec<unknown>;

/** The team's sign-off samples as the Readiness judges them, or that the person's role does not see them. */
export type TeamSamplesAnswer = { samples: TeamSample[] } | { notForRole: true };

/**
 * The sign-off samples the team server holds, each with the approvals signed there over its
 * result as it is now and everyone who signed its review (named in the evidence pack with the
 * role they signed in), read in one pass; a role that does not see the results is told so.
 */
export const teamSamplesRead = {
  kind: 'reviews',
  what: 'samples',
  alsoOn: ['decisions', 'signatures'],
  read: async (session, projectId): Promise<TeamSamplesAnswer> => {
    try {
      const served = await sampleResultsOnServer(session, projectId);
      const samples: TeamSample[] = [];
      for (const s of served) {
        if (!('result' in s)) continue;
        const signed = await readReviewSignatures(session, projectId, s.review);
        samples.push({
          result: s.result,
          ...(s.sentAt ? { sentAt: s.sentAt } : {}),
          approvals: signed
            .filter((x) => x.kind === 'approval' && x.hash === s.fingerprint)
            .map((x) => ({ name: x.signer.name, signedAt: x.signedAt })),
          signers: signed.map((x) => ({
            name: x.signer.name,
            role: x.role,
            meaning: x.meaning,
            signedAt: x.signedAt,
          })),
        });
      }
      return { samples };
    } catch (error) {
      if (error instanceof TeamError && error.status === 403) return { notForRole: true };
      throw error;
    }
  },
} satisfies TeamReadSpec<TeamSamplesAnswer>;

/**
 * The server's record of one review: every decision the caller may read (the blind rules are the
 * server's) and the reviewers' and adjudicators' signatures, in the server's order.
 */
export const reviewRecordRead = {
  kind: 'decisions',
  what: 'review-record',
  alsoOn: ['signatures', 'reviews'],
  read: async (session, projectId, reviewId) => {
    const [decisions, signatures] = await Promise.all([
      readDecisions(session, projectId, reviewId),
      readReviewSignatures(session, projectId, reviewId),
    ]);
    return { decisions, signatures };
  },
} satisfies TeamReadSpec<unknown, [string]>;

/**
 * Each sample sent to the team with its result as the server computes it from the decisions it
 * holds (the "Sample result" panel): stale when a decision, a review or a signature changes.
 */
export const sampleResultsRead = {
  kind: 'reviews',
  what: 'sample-results',
  alsoOn: ['decisions', 'signatures'],
  read: sampleResultsOnServer,
} satisfies TeamReadSpec<unknown>;

/** The project's reviews, each with how many of its records are assigned to the caller. */
export const serverReviewListRead = {
  kind: 'reviews',
  what: 'list',
  read: listServerReviews,
} satisfies TeamReadSpec<unknown>;

/**
 * The caller's records of one review, with her pass on each (and which her offline packet
 * decided), and the decisions she may read of it in the server's order: read together, so her
 * list is drawn once per answer; stale when the review's assignments or its decisions change.
 */
export const assignedReviewRead = {
  kind: 'reviews',
  what: 'assigned',
  alsoOn: ['decisions'],
  read: async (session, projectId, reviewId) => {
    const [assigned, decisions] = await Promise.all([
      assignedRecords(session, projectId, reviewId),
      readDecisions(session, projectId, reviewId),
    ]);
    return { assigned, decisions };
  },
} satisfies TeamReadSpec<unknown, [string]>;
