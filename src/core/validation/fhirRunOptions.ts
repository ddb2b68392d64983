/**
 * The options a FHIR validation ran with (a report's `target.layers`, `target.unknownExtensions`,
 * `target.allowExampleUrls` and the implementation guide packages and profiles applied: the CLI's
 * `--skip`, `--unknown-extensions`, `--allow-example-urls`, `--ig` and `--profile`, the app's
 * switches and packages),
 * in the words the app, the printable report and the report CSV use.
 *
 * Constraint: imported by the report view of the page's main bundle, so it depends on the report
 * format only, never on the FHIR validator (`src/core/fhir/rules.ts` and the rest load
 * in their own chunks).
 */
import type { Report, ReportFhirLayer } from '../../formats/report.ts';

/** Names of the FHIR validation layers as clinic data teams know them, in the order they run. */
export const FHIR_LAYER_TITLES: Readonly<Record<ReportFhirLayer, string>> = {
  json: 'JSON text',
  structure: 'Structure',
  cardinality: 'Required elements',
  values: 'Values',
  extensions: 'Extensions',
  invariants: 'Rules of the specification',
  bindings: 'Codes',
  references: 'References and Bundles',
};

const ALL_LAYERS = Object.keys(FHIR_LAYER_TITLES) as ReportFhirLayer[];

/** One option of a FHIR run, as a setting line of the report CSV (`section` "setting"). */
interface FhirRunSetting {
  /** the CLI option it corresponds to, without dashes */
  name: 'layers' | 'skip' | 'unknown-extensions' | 'allow-example-urls' | 'ig' | 'profile';
  /** its value as the CLI takes it (layers separated by spaces) */
  value: string;
}

/**
 * The options recorded in a FHIR report's target, as the CLI's options: the layers that ran, the
 * ones switched off (`--skip`), `--unknown-extensions` and `--allow-example-urls` (only when given:
 * absent is the default). Empty for a report that records none
 * (CSV reports, FHIR reports written before the options were recorded).
 */
export function fhirRunSettings(target: Report['target']): FhirRunSetting[] {
  if (target?.type !== 'fhir') return [];
  const { layers, unknownExtensions } = target;
  const settings: FhirRunSetting[] = [];
  if (layers) {
    settings.push({ name: 'layers', value: layers.join(' ') });
    settings.push({ name: 'skip', value: ALL_LAYERS.filter((l) => !layers.includes(l)).join(' ') });
  }
  if (unknownExtensions) settings.push({ name: 'unknown-extensions', value: unknownExtensions });
  if (target.allowExampleUrls) settings.push({ name: 'allow-example-urls', value: 'true' });
  // the packages by name, version and SHA-256 (the CLI's --ig names a file; this names what was in it)
  for (const p of target.packages ?? [])
    settings.push({ name: 'ig', value: `${p.name}#${p.version} sha256:${p.sha256}` });
  for (const url of target.profiles ?? []) settings.push({ name: 'profile', value: url });
  return settings;
}

/**
 * The options of a FHIR run in sentences, or undefined when the report records none:
 * "Checks switched off: Codes. Unknown extensions (not defined in the FHIR specification) were
 * counted as warnings: a resource with one still counts as valid."
 */
export function describeFhirRun(target: Report['target']): string | undefined {
  if (target?.type !== 'fhir') return undefined;
  const { layers, unknownExtensions } = target;
  const sentences: string[] = [];
  if (layers) {
    const off = ALL_LAYERS.filter((l) => !layers.includes(l));
    sentences.push(
      off.length === 0
        ? 'Every FHIR check ran.'
        : `Checks switched off: ${off.map((l) => FHIR_LAYER_TITLES[l]).join(', ')}.`,
    );
  }
  if (unknownExtensions && layers?.includes('extensions') !== false) {
    sentences.push(
      unknownExtensions === 'warning'
        ? 'Unknown extensions (not defined in the FHIR specification) were counted as warnings: a resource with one still counts as valid.'
        : 'Unknown extensions (not defined in the FHIR specification) were counted as errors: a resource with one counts as invalid.',
    );
  }
  if (target.allowExampleUrls && layers?.includes('extensions') !== false)
    sentences.push(
      'Extensions at example addresses (example.org, example.com) were accepted without a check, as for test data.',
    );
  const packages = target.packages ?? [];
  if (packages.length > 0) {
    const named = packages.map((p) => `${p.name} ${p.version} (SHA-256 ${p.sha256})`).join(', ');
    sentences.push(`Each resource was also checked against the profiles it declares from ${named}.`);
    if (target.profiles?.length)
      sentences.push(`Applied to every resource of its type: ${target.profiles.join(', ')}.`);
    const missing = target.missingPackages ?? [];
    if (missing.length > 0)
      sentences.push(
        `Not loaded, so what they define was not checked: ${missing.map((m) => `${m.name} ${m.version}`).join(', ')}.`,
      );
  }
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}
