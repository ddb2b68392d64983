/**
 * The reads of a shared project the screens share through the browser's one cache (teamQuery.ts),
 * one row each: the kind of change that makes it stale, what it reads, and the route it reads
 * through. Two screens that show the same thing name the same row, so they share one copy and one
 * request; a screen that needs less of an answer picks from it.
 */
import {
  listInvitationsRoute,
  openProjectRoute,
  signingKeysRoute,
  steeringDecisionsRoute,
} from '../../core/teamApi/index.ts';
import { teamCall } from '../../storage/teamServer.ts';
import { namedVersions, openSharedWorkflow, sharedWorkflows } from '../workflows/shared/teamApi.ts';
import { readAllRecords } from './sharedRecordsRead.ts';
import type { TeamReadSpec } from './teamQuery.ts';

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
