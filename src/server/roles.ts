/**
 * The role × action table, for the route modules that still import it from here: the table
 * itself is src/core/teamRoles/roles.ts, which the browser reads too. A route module converted to
 * its contract imports it from src/core/teamApi/index.ts; once none imports this file it goes.
 */
export {
  ACTION_WORDS,
  ACTIONS,
  actionsOf,
  KEY_CONFIRMERS,
  mayDo,
  type ProjectAction,
  ROLE_ACTIONS,
  ROLES,
  type Role,
} from '../core/teamApi/index.ts';
