/**
 * The team server's state for screens deep in a workspace (the sign-off's "Send to reviewers" and
 * its signing), provided once by the app: a screen outside a team server reads `none`.
 */
import { createContext, useContext } from 'react';
import type { TeamServerState } from './useTeamServer.ts';

/** The app's team server state; `none` where no provider is (tests, `npm start`). */
export const TeamServerContext = createContext<TeamServerState>({ phase: 'none' });

/** The team server's state as the app holds it. */
export function useTeamServerState(): TeamServerState {
  return useContext(TeamServerContext);
}
