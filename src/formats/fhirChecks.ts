/**
 * The FHIR checks a project runs (`meta.settings.fhirChecks`, `#/$defs/fhirChecks` of
 * project.schema.json): the validation layers switched off, how unknown extensions count and
 * whether modifier extensions at example addresses (example.org) are accepted. The
 * Migration screen applies them to FHIR files, to records pulled from a FHIR server and to the
 * records a saved mapping makes from a CSV alike (as `validate --project` does), and they travel
 * with a project export.
 *
 * The layers are kept as the ones switched off, so a layer added by a later version runs in an
 * older project. Reading never throws: an id this version does not know is ignored with a warning
 * (a later version may have added it), and a missing value means the defaults (every check, unknown
 * extensions as errors, example-address modifier extensions as errors — the CLI's defaults).
 */
import { type FormatProblem, PROBLEM_CODES, pointer, problem } from './loading.ts';

/** Where a project keeps its FHIR checks: `meta.settings[PROJECT_FHIR_CHECKS_KEY]`. */
export const PROJECT_FHIR_CHECKS_KEY = 'fhirChecks';

/**
 * The layers that can be switched off, in the order they run: the ids of a report's
 * `fhir.layers` (report.schema.json) but `json`, which always runs. A test holds them to the
 * validator's layers.
 */
export const SWITCHABLE_FHIR_LAYERS = [
  'structure',
  'cardinality',
  'values',
  'extensions',
  'invariants',
  'bindings',
  'references',
] as const;

export type SwitchableFhirLayer = (typeof SWITCHABLE_FHIR_LAYERS)[number];

/** The stored shape (every field optional; open for later fields). */
export interface ProjectFhirChecks {
  off?: string[];
  unknownExtensions?: 'error' | 'warning';
  /** `true`: modifier extensions at example addresses pass unjudged (the CLI's `--allow-example-urls`) */
  allowExampleUrls?: boolean;
  [later: string]: unknown;
}

/**
 * The checks as read: what to switch off, how unknown extensions count, whether example-address
 * modifier extensions are accepted, and any warnings.
 */
export interface ReadFhirChecks {
  off: SwitchableFhirLayer[];
  unknownExtensions: 'error' | 'warning';
  /** only an explicit `true` accepts them: test data, never a clinic's real export */
  allowExampleUrls: boolean;
  problems: FormatProblem[];
}

const isSwitchable = (id: unknown): id is SwitchableFhirLayer =>
  (SWITCHABLE_FHIR_LAYERS as readonly unknown[]).includes(id);

/** Reads a project's FHIR checks (see the file header); `basePath` points at the settings. */
export function readProjectFhirChecks(
  settings: Readonly<Record<string, unknown>>,
  basePath = '/meta/settings',
): ReadFhirChecks {
  const value = settings[PROJECT_FHIR_CHECKS_KEY] as ProjectFhirChecks | undefined;
  const at = `${basePath}${pointer(PROJECT_FHIR_CHECKS_KEY)}`;
  const problems: FormatProblem[] = [];
  const off: SwitchableFhirLayer[] = [];
  if (value !== null && typeof value === 'object' && Array.isArray(value.off)) {
    value.off.forEach((id, index) => {
      if (isSwitchable(id)) {
        if (!off.includes(id)) off.push(id);
      } else {
        problems.push(
          problem(
            `${at}/off/${index}`,
            PROBLEM_CODES.notAllowed,
            'not a FHIR check this version knows (ignored: the check it names, if any, runs)',
          ),
        );
      }
    });
  }
  return {
    off: SWITCHABLE_FHIR_LAYERS.filter((l) => off.includes(l)),
    unknownExtensions: value?.unknownExtensions === 'warning' ? 'warning' : 'error',
    allowExampleUrls: value?.allowExampleUrls === true,
    problems,
  };
}

/**
 * `settings` with the FHIR checks set (other settings, and fields of the checks a later version
 * added, are kept). Ids this version does not know stay switched off as they were.
 * `allowExampleUrls` absent keeps what the project had; `false` removes the field (the default),
 * so a project that never accepted them stores nothing new.
 */
export function withProjectFhirChecks(
  settings: Readonly<Record<string, unknown>>,
  checks: {
    off: readonly SwitchableFhirLayer[];
    unknownExtensions: 'error' | 'warning';
    allowExampleUrls?: boolean;
  },
): Record<string, unknown> {
  const { allowExampleUrls: kept, ...before } = (settings[PROJECT_FHIR_CHECKS_KEY] ??
    {}) as ProjectFhirChecks;
  const unknown = (Array.isArray(before.off) ? before.off : []).filter(
    (id) => typeof id === 'string' && !isSwitchable(id),
  );
  const allow = checks.allowExampleUrls ?? kept === true;
  return {
    ...settings,
    [PROJECT_FHIR_CHECKS_KEY]: {
      ...before,
      off: [...SWITCHABLE_FHIR_LAYERS.filter((l) => checks.off.includes(l)), ...unknown],
      unknownExtensions: checks.unknownExtensions,
      ...(allow ? { allowExampleUrls: true } : {}),
    },
  };
}
