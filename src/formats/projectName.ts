/**
 * The one rule for project names, shared by every path that sets one: creating, renaming, the
 * name field of the dialogs and importing a project file (whose loader lives here in src/formats,
 * the bottom layer, so src/core and src/app reuse it from here).
 *
 * Constraint: pure and total — it never throws and never shortens a name silently; a name that
 * breaks the rule is refused with a code and a message that say what is wrong, never the name.
 */

/** Longest project name accepted, in UTF-16 code units after trimming; the UI states it. */
export const MAX_PROJECT_NAME_LENGTH = 120;

/** Why a project name was refused; stable, for tests and UI logic. */
export type ProjectNameErrorCode = 'blank-name' | 'name-too-long';

/** The outcome of {@link checkProjectName}: the trimmed name, or why it is refused. */
export type ProjectNameCheck =
  | { ok: true; name: string }
  | { ok: false; code: ProjectNameErrorCode; message: string };

/**
 * Checks a project name: trimmed, not blank, at most {@link MAX_PROJECT_NAME_LENGTH} characters.
 * Returns the trimmed name to store. Anything that is not a string counts as blank.
 */
export function checkProjectName(name: unknown): ProjectNameCheck {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') {
    return { ok: false, code: 'blank-name', message: 'A project needs a name: the name given is blank.' };
  }
  if (trimmed.length > MAX_PROJECT_NAME_LENGTH) {
    return {
      ok: false,
      code: 'name-too-long',
      message: `A project name can be at most ${MAX_PROJECT_NAME_LENGTH} characters long; this one has ${trimmed.length.toLocaleString('en-US')}.`,
    };
  }
  return { ok: true, name: trimmed };
}

/**
 * The name of a copy (an import whose id is taken, changes rescued beside a project changed since): the original name with `suffix`, the original shortened (with an
 * ellipsis) just enough that the result keeps within the project-name maximum.
 */
export function copyName(name: string, suffix: string): string {
  const room = MAX_PROJECT_NAME_LENGTH - suffix.length;
  if (name.length <= room) return `${name}${suffix}`;
  let base = name.slice(0, room - 1);
  // never leave half of a surrogate pair (an emoji) behind
  if (/[\uD800-\uDBFF]$/.test(base)) base = base.slice(0, -1);
  return `${base.trimEnd()}…${suffix}`;
}
