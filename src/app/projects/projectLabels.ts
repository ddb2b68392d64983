/**
 * How projects are named in the project selector: by name, and told apart when names repeat.
 * Pure, so the rule is unit-tested apart from React.
 */
import type { ProjectMeta } from '../../formats/project.ts';
import { MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';

/** Shortens a name to the project-name maximum with an ellipsis (names stored before the rule existed can be longer). */
export function shortName(name: string, max: number = MAX_PROJECT_NAME_LENGTH): string {
  if (name.length <= max) return name;
  let cut = name.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * One label per project id, in the list's order. A name used once is its own label; repeated names
 * get their creation date ("Clinic A · created 2026-11-02"), and projects that share name and date
 * a running number as well ("Clinic A · created 2026-11-02 · 2"), so no two labels are equal.
 */
export function projectLabels(
  projects: readonly Pick<ProjectMeta, 'id' | 'name' | 'createdAt'>[],
): Map<string, string> {
  const byName = new Map<string, number>();
  for (const p of projects) byName.set(p.name, (byName.get(p.name) ?? 0) + 1);
  const withDate = (p: Pick<ProjectMeta, 'name' | 'createdAt'>) =>
    `${shortName(p.name)} · created ${p.createdAt.slice(0, 10)}`;
  const byDated = new Map<string, number>();
  for (const p of projects)
    if ((byName.get(p.name) ?? 0) > 1) byDated.set(withDate(p), (byDated.get(withDate(p)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const p of projects) {
    if ((byName.get(p.name) ?? 0) < 2) {
      labels.set(p.id, shortName(p.name));
      continue;
    }
    const dated = withDate(p);
    if ((byDated.get(dated) ?? 0) < 2) {
      labels.set(p.id, dated);
      continue;
    }
    const n = (seen.get(dated) ?? 0) + 1;
    seen.set(dated, n);
    labels.set(p.id, `${dated} · ${n}`);
  }
  return labels;
}
