/**
 * What every sign-off export is made from: the project exactly as it is durably stored, with the
 * audit chain stored with it. A decision shows on screen before its strict-durability write (and
 * its audit entry) completes, so an export made from the screen at once could miss that decision
 * or find a chain shorter than the decisions and call it "changed in another tab".
 *
 * Constraints:
 * - It waits for every change made so far to be stored (`ReviewActions.saved`), then reads the
 *   chain; a failed save is said, never exported around.
 * - The project it returns is the one the page held before that wait and still holds after the
 *   chain is read: a change made meanwhile (a decision typed while the save ran) is waited for in
 *   turn, a few times at most; what keeps changing is refused with the reason.
 * - Without `saved`/`current` (not known), the project on screen and the chain as read are used.
 */
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Review } from '../../formats/review.ts';
import type { ReviewActions } from './reviewActions.ts';

/** The stored project and its chain, read together. */
interface SavedSignoff {
  project: Project;
  entries: ChainEntry[];
}

/** Why an export was not made from what is stored (its message is for the user). */
export class NotSavedError extends Error {}

export const EXPORT_NOT_SAVED =
  'the latest changes are not yet saved on this computer (see the save status). Try again once they are saved';
export const EXPORT_CHAIN_UNREADABLE =
  'the audit trail of the sign-off could not be read on this computer. Try again; if it keeps happening, reload the page';
export const EXPORT_KEEPS_CHANGING =
  'the sign-off kept changing while it was being saved. Export again once the last decision shows “Saved”';
export const EXPORT_REVIEW_GONE =
  'this sign-off is no longer in the open project (another project was opened or it was removed). Reload the page';

/** How many times a change made during the wait is waited for before giving up. */
const ATTEMPTS = 3;

/**
 * Waits for the pending save, then returns the project as stored and its chain (see the file
 * header). `shown` is the project on screen, used only when the page cannot say what it holds.
 * Rejects with a {@link NotSavedError} whose message says why.
 */
export async function savedSignoff(
  actions: Pick<ReviewActions, 'saved' | 'current' | 'auditLog'>,
  shown: Project,
): Promise<SavedSignoff> {
  const current = () => actions.current?.() ?? shown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const before = current();
    try {
      await actions.saved?.();
    } catch {
      throw new NotSavedError(EXPORT_NOT_SAVED);
    }
    let entries: ChainEntry[];
    try {
      entries = await actions.auditLog();
    } catch {
      throw new NotSavedError(EXPORT_CHAIN_UNREADABLE);
    }
    // the same project before the wait and after the read: nothing was changed in between, so
    // it is what the save wrote and the chain belongs to it
    if (current() === before) return { project: before, entries };
  }
  throw new NotSavedError(EXPORT_KEEPS_CHANGING);
}

/** The review `id` in the stored project, or a {@link NotSavedError} saying it is gone. */
export function savedReview(saved: SavedSignoff, id: string): Review {
  const review = saved.project.reviews?.find((r) => r.id === id);
  if (!review) throw new NotSavedError(EXPORT_REVIEW_GONE);
  return review;
}
