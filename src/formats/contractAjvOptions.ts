/**
 * The ajv options a column contract (or a mapping's target schema) is compiled with (core
 * `columnContract.ts`), shared with the build step that precompiles the drafts' meta-schema
 * checks (metaSchemaCodegen.ts): the meta-schema is compiled with the options of the instance that
 * checks against it, so both must read the same object, or a precompiled check could report other
 * errors than ajv's own (e.g. only the first one without `allErrors`).
 */

/** Ajv options every contract compile uses (core `columnContract.ts` adds per-subject ones). */
export const CONTRACT_AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  // type and tuple hints are advice, not errors; with no logger they would go to the console
  strictTypes: false,
  strictTuples: false,
  allowUnionTypes: true,
  logger: false,
} as const;

/** The drafts whose meta-schema check is precompiled, with ajv's URI of each and the export holding it. */
export const META_SCHEMA_CHECKS = [
  { dialect: 'draft-07', uri: 'http://json-schema.org/draft-07/schema', exportName: 'checkDraft07' },
  { dialect: '2019-09', uri: 'https://json-schema.org/draft/2019-09/schema', exportName: 'checkDraft201909' },
  { dialect: '2020-12', uri: 'https://json-schema.org/draft/2020-12/schema', exportName: 'checkDraft202012' },
] as const;
