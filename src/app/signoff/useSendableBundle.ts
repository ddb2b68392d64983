/**
 * The sign-off Bundle the "send to the FHIR server" step offers: the same Bundle as the "FHIR
 * Bundle" download, made with the audit chain as it is stored and the roster, so a Bundle read back
 * from the server verifies as the downloaded file does (`preflight signoff verify`).
 *
 * Constraints:
 * - The chain is read from storage, asynchronously, again whenever the review, plan, mapping or
 *   roster change (a new decision or signature), once what is on screen is durably stored: a
 *   change shows before its audit entry is written. An answer for an older state is dropped.
 * - A Bundle whose signature claims the results is offered only when it carries its evidence and
 *   verifies: without the chain it would say "approved" with nothing to check it by. When the chain
 *   cannot be read or does not verify, nothing is offered and the reason is said; "try again" reads
 *   it once more.
 * - A Bundle no current signature covers (Task `ready`) claims no approval and is offered as is.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  signoffBundle,
  type TransactionBundle,
  verifySignoffBundle,
} from '../../core/signoff/exports/index.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Review } from '../../formats/review.ts';
import type { Roster } from '../../formats/roster.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import type { ReviewActions } from './reviewActions.ts';

/** Where making the Bundle to send stands. */
type SendableBundle =
  | { state: 'reading' }
  | { state: 'ready'; bundle: TransactionBundle }
  | { state: 'refused'; message: string; retry: () => void };

export const CHAIN_UNREADABLE =
  'The sign-off cannot be sent yet: the audit trail that proves it could not be read on this computer. Try again; if it keeps happening, reload the page.';
export const NOT_SAVED =
  'The sign-off cannot be sent yet: it is not yet saved on this computer (see the save status). Try again once it is saved.';
export const CHAIN_CHANGED =
  'The sign-off cannot be sent yet: its audit trail does not match what this page shows (it may have changed in another tab or window). Reload the page, then send it.';

/** What {@link makeSendableBundle} needs: the sign-off as on screen and how to read its chain. */
export interface SendableBundleInput {
  plan: SamplePlan;
  review: Review;
  mapping: Mapping | undefined;
  roster: Roster | undefined;
  now: () => string;
  auditLog: ReviewActions['auditLog'];
  saved?: () => Promise<void>;
}

/** The Bundle to send, or why none is offered (see the file header). Never rejects. */
export async function makeSendableBundle(
  input: SendableBundleInput,
): Promise<{ state: 'ready'; bundle: TransactionBundle } | { state: 'refused'; message: string }> {
  const { plan, review, mapping, roster } = input;
  try {
    await input.saved?.();
  } catch {
    return { state: 'refused', message: NOT_SAVED };
  }
  let entries: Awaited<ReturnType<ReviewActions['auditLog']>>;
  try {
    entries = await input.auditLog();
  } catch {
    return { state: 'refused', message: CHAIN_UNREADABLE };
  }
  const bundle = signoffBundle({
    plan,
    review,
    now: input.now(),
    ...(mapping ? { mapping } : {}),
    entries,
    ...(roster ? { roster } : {}),
  });
  const claimsSignature = bundle.entry.some((e) => e.resource.resourceType === 'Binary');
  if (claimsSignature && !(await verifySignoffBundle(bundle)).ok)
    return { state: 'refused', message: CHAIN_CHANGED };
  return { state: 'ready', bundle };
}

/** The sign-off Bundle to send, made with the stored audit chain (see the file header). */
export function useSendableBundle(options: {
  plan: SamplePlan;
  review: Review;
  mapping: Mapping | undefined;
  roster: Roster | undefined;
  actions: ReviewActions;
}): SendableBundle {
  const { plan, review, mapping, roster, actions } = options;
  const [attempt, setAttempt] = useState(0);
  const [made, setMade] = useState<SendableBundle>({ state: 'reading' });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // `actions` is the project's, stable while it is open; `now` is read once per Bundle, on purpose
  // biome-ignore lint/correctness/useExhaustiveDependencies: remake only when what is sent changes
  useEffect(() => {
    let current = true;
    setMade({ state: 'reading' });
    void makeSendableBundle({
      plan,
      review,
      mapping,
      roster,
      now: actions.now,
      auditLog: actions.auditLog,
      ...(actions.saved ? { saved: actions.saved } : {}),
    }).then((made) => {
      if (current) setMade(made.state === 'ready' ? made : { ...made, retry });
    });
    return () => {
      current = false;
    };
  }, [plan, review, mapping, roster, attempt]);
  return made;
}
