/**
 * Who answers for each role (`meta.settings.roleOwners`, `#/$defs/roleOwners` of
 * project.schema.json): per role, its owner — the person who speaks for the role's work and
 * confirms how it is done — and its stakeholders, the people asked about it. Discovery judges it:
 * a role of the workflows without an owner means nobody is known to have been asked. It lives in
 * the project's settings like the training record, so it is saved and exported with the project.
 *
 * Public format: the key is optional (projects written before it have none) and new fields are
 * added as optional ones only. The project schema refuses a malformed record on import; the
 * reader here still skips a value of the wrong kind, so a project written by hand never breaks
 * the Readiness screen. Names only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps who answers for each role. */
export const PROJECT_ROLE_OWNERS_KEY = 'roleOwners';

/**
 * One role's owner and stakeholders (a role is a lane of the workflows, by name; renaming the last
 * lane of that name renames the entry with it: {@link withOwnerRoleRenamed}).
 */
export interface RoleOwner {
  role: string;
  /** the person who speaks for the role's work, by name */
  owner?: string;
  /** the people asked about the role's work, by name */
  stakeholders?: string[];
}

/** The record. */
export interface RoleOwners {
  roles: RoleOwner[];
}

const name = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The record of a project's settings; an entry of the wrong shape is skipped. Never throws. */
export function readRoleOwners(settings: Readonly<Record<string, unknown>>): RoleOwners {
  const raw = settings[PROJECT_ROLE_OWNERS_KEY];
  if (!isPlainObject(raw)) return { roles: [] };
  const roles: RoleOwner[] = [];
  for (const r of Array.isArray(raw.roles) ? raw.roles : []) {
    if (!isPlainObject(r) || !name(r.role)) continue;
    const entry: RoleOwner = { role: r.role };
    if (name(r.owner)) entry.owner = r.owner;
    if (Array.isArray(r.stakeholders)) entry.stakeholders = r.stakeholders.filter(name);
    roles.push(entry);
  }
  return { roles };
}

/** `settings` with `record` written under {@link PROJECT_ROLE_OWNERS_KEY} (a new object). */
export function withRoleOwners(
  settings: Readonly<Record<string, unknown>>,
  record: RoleOwners,
): Record<string, unknown> {
  return {
    ...settings,
    [PROJECT_ROLE_OWNERS_KEY]: {
      roles: record.roles.map((r) => ({
        ...r,
        ...(r.stakeholders ? { stakeholders: [...r.stakeholders] } : {}),
      })),
    },
  };
}

/**
 * `settings` with the owner entry of role `from` renamed to `to` (a new object), or `settings`
 * itself when there is nothing to carry: no entry for `from`, or one for `to` already (two entries
 * are never merged: the clinic decides which holds). Only the entry's `role` changes.
 */
export function withOwnerRoleRenamed(
  settings: Readonly<Record<string, unknown>>,
  from: string,
  to: string,
): Readonly<Record<string, unknown>> {
  const raw = settings[PROJECT_ROLE_OWNERS_KEY];
  if (from === to || !isPlainObject(raw) || !Array.isArray(raw.roles)) return settings;
  const roleOf = (r: unknown) => (isPlainObject(r) && typeof r.role === 'string' ? r.role : undefined);
  const at = raw.roles.findIndex((r) => roleOf(r) === from);
  if (at < 0 || raw.roles.some((r) => roleOf(r) === to)) return settings;
  const roles = raw.roles.map((r, i) => (i === at && isPlainObject(r) ? { ...r, role: to } : r));
  return { ...settings, [PROJECT_ROLE_OWNERS_KEY]: { ...raw, roles } };
}
