/**
 * The roles of a go-live team and the one table of what each may do in a shared project: the
 * server refuses by it, the app offers by it. It imports nothing, so every module may read it
 * (the signing table, the route contracts, the screens). Only this file is the module's surface.
 */
export {
  ACTION_WORDS,
  ACTIONS,
  actionsOf,
  KEY_CONFIRMERS,
  mayDo,
  type ProjectAction,
  ROLE_ACTIONS,
  ROLE_LABELS,
  ROLES,
  type Role,
  rolesThatMay,
} from './roles.ts';
