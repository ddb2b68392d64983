/**
 * The profile checker's checks, in one table that the walk (walk.ts), the docs and the tests
 * iterate, as ajv's keywords are: each check is a file that says what it checks and which rules
 * it reports. Within a scope, checks run in the order listed (a value of the wrong type is
 * checked no further, so `type` comes first).
 *
 * - `item`: one value of an element (`atRoot`: also the resource or datatype itself);
 * - `element`: an element's values together;
 * - `resource`: the top-level resource, once, before any profile; `claimed`: each resource after
 *   its claimed profiles.
 *
 * Terminology checks of codes (validate-code against a server, displays, units) are entries of
 * their own beside `binding`, not branches inside it.
 */

import type { ElementCheck, ItemCheck, ProfileCheck, ResourceCheck } from '../types.ts';
import { additionalBindingsCheck } from './additionalBindings.ts';
import { bindingCheck } from './binding.ts';
import { cardinalityCheck } from './cardinality.ts';
import { codesCheck } from './codes.ts';
import { extensionsCheck } from './extensions.ts';
import { invariantsCheck } from './invariants.ts';
import { rangeCheck } from './range.ts';
import { slicingCheck } from './slicing.ts';
import { targetProfilesCheck } from './targetProfiles.ts';
import { typeCheck } from './type.ts';
import { typeProfilesCheck } from './typeProfiles.ts';
import { valueCheck } from './value.ts';

/** Every check of the profile checker. */
export const PROFILE_CHECKS: readonly ProfileCheck[] = [
  codesCheck,
  cardinalityCheck,
  slicingCheck,
  typeCheck,
  valueCheck,
  rangeCheck,
  bindingCheck,
  additionalBindingsCheck,
  typeProfilesCheck,
  targetProfilesCheck,
  invariantsCheck,
  extensionsCheck,
];

/** The checks of one value of an element, in order. */
export const ITEM_CHECKS: readonly ItemCheck[] = PROFILE_CHECKS.filter(
  (c): c is ItemCheck => c.scope === 'item',
);
/** The checks of an element's values together, in order. */
export const ELEMENT_CHECKS: readonly ElementCheck[] = PROFILE_CHECKS.filter(
  (c): c is ElementCheck => c.scope === 'element',
);
/** The checks of the top-level resource before any profile. */
export const RESOURCE_CHECKS: readonly ResourceCheck[] = PROFILE_CHECKS.filter(
  (c): c is ResourceCheck => c.scope === 'resource',
);
/** The checks of each resource after its claimed profiles. */
export const CLAIMED_CHECKS: readonly ResourceCheck[] = PROFILE_CHECKS.filter(
  (c): c is ResourceCheck => c.scope === 'claimed',
);
