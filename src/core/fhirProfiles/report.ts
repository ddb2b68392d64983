/**
 * What a FHIR report records about the packages a run used (`target.packages`,
 * `target.missingPackages`, `target.profiles` of `preflight.report/v1`): the same for the CLI and,
 * later, the browser worker.
 */
import type { FhirReportTarget, Report } from '../../formats/report.ts';
import type { ProfileRegistry } from './registry.ts';

/** The report with the loaded packages, the dependencies they miss and the profiles applied to all. */
export function withProfilePackages(
  report: Report,
  registry: ProfileRegistry,
  profiles: readonly string[],
): Report {
  if (report.target?.type !== 'fhir') return report;
  return { ...report, target: { ...report.target, ...profilePackages(registry, profiles) } };
}

/** What a FHIR target says of the packages and profiles its records were checked against. */
export function profilePackages(
  registry: ProfileRegistry,
  profiles: readonly string[],
): Pick<FhirReportTarget, 'packages' | 'missingPackages' | 'profiles'> {
  return {
    packages: registry.packages.map((p) => ({
      name: p.name,
      version: p.version,
      sha256: p.sha256,
      ...(p.terminology ? { terminology: true as const } : {}),
    })),
    ...(registry.missingDependencies.length > 0
      ? {
          missingPackages: registry.missingDependencies.map((d) => ({
            name: d.name,
            version: d.version,
            requiredBy: [...d.requiredBy],
            unchecked: d.unchecked,
          })),
        }
      : {}),
    ...(profiles.length > 0 ? { profiles: [...profiles] } : {}),
  };
}
