/**
 * The implementation guide packages of the open project, for FHIR validation: the references the
 * project records (`meta.settings.fhirPackages`, exported with it), the bytes this browser keeps
 * beside it (src/storage/igPackageStore.ts), and what the FHIR validator worker read from them
 * (name, version, SHA-256, dependencies, profiles). The page never parses a package: a new file
 * is read in the worker first, and only a package it could read is kept.
 *
 * A reference whose bytes this browser does not hold (a project imported from a file, or from
 * another computer) is listed as "to add again"; it is not applied, and the report says which
 * packages it used.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FhirPackageSpec, FhirPackageSummary } from '../../../workers/fhirPackages.ts';
import type { MissingIgDependency } from '../../core/fhirProfiles/index.ts';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  type ProjectFhirPackage,
  readProjectFhirPackages,
  withProjectFhirPackages,
} from '../../formats/igPackages.ts';
import {
  IgPackagesWipedError,
  openIgPackageStore,
  type StoredIgPackage,
} from '../../storage/igPackageStore.ts';

/** What the packages panel shows and does. */
export interface FhirPackagesState {
  /** false until the stored packages are read */
  loaded: boolean;
  /** the packages applied, as the worker read them, in the project's order */
  packages: FhirPackageSummary[];
  /** dependencies the packages declare that are not loaded */
  missing: MissingIgDependency[];
  /** packages the project names whose file this browser does not hold */
  absent: ProjectFhirPackage[];
  /** packages kept in this browser that the worker could not read again (they can be removed) */
  unreadable: ProjectFhirPackage[];
  /** chosen profiles (canonical URLs) applied to every resource of their type; none: meta.profile only */
  profiles: string[];
  /** messages about packages that could not be added, read or kept (each names its file) */
  problems: string[];
  /** a package is being read or kept */
  busy: boolean;
  /** what a validation request takes */
  specs: FhirPackageSpec[];
  /** adds packages; `terminology`: for their code systems and value sets only */
  add?: ((files: readonly File[], terminology?: boolean) => Promise<void>) | undefined;
  remove?: ((sha256: string) => Promise<void>) | undefined;
  choose?: ((profiles: string[]) => void) | undefined;
}

const STORE_UNAVAILABLE =
  'Preflight could not open its package store in this browser (private browsing, or storage is full or blocked). Packages can still be added, but will have to be added again after a reload.';

/** The packages of a project and the means to change them (absent without `dispatch`). */
export function useFhirPackages(
  projectId: string,
  settings: Record<string, unknown>,
  dispatch: ((change: ProjectChange) => void) | undefined,
): FhirPackagesState {
  const { packages: refs, profiles } = useMemo(() => readProjectFhirPackages(settings), [settings]);
  const [stored, setStored] = useState<Map<string, StoredIgPackage> | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [read, setRead] = useState<{
    key: string;
    packages: FhirPackageSummary[];
    missing: MissingIgDependency[];
  }>({
    key: '',
    packages: [],
    missing: [],
  });

  // the bytes this browser keeps for the project
  useEffect(() => {
    let live = true;
    setStored(null);
    openIgPackageStore()
      .then(async (store) => {
        try {
          const list = await store.list(projectId);
          if (live) setStored(list);
        } finally {
          store.close();
        }
      })
      .catch(() => {
        if (live) {
          setStored(new Map());
          setProblems([STORE_UNAVAILABLE]);
        }
      });
    return () => {
      live = false;
    };
  }, [projectId]);

  const specs = useMemo(
    () =>
      refs.flatMap((ref) => {
        const entry = stored?.get(ref.sha256);
        if (!entry) return [];
        const spec: FhirPackageSpec = { name: ref.fileName, file: entry.file };
        if (ref.terminology) spec.terminology = true;
        return [spec];
      }),
    [refs, stored],
  );
  const absent = useMemo(() => (stored ? refs.filter((ref) => !stored.has(ref.sha256)) : []), [refs, stored]);
  // the packages applied, by their SHA-256: the same packages give the same summaries
  const specsKey = refs
    .filter((ref) => stored?.has(ref.sha256))
    .map((ref) => `${ref.sha256}:${ref.fileName}${ref.terminology ? ':terminology' : ''}`)
    .join(',');
  const specsRef = useRef(specs);
  specsRef.current = specs;

  // what the worker reads from the kept packages (names, dependencies, profiles)
  useEffect(() => {
    const wanted = specsRef.current;
    if (specsKey === '' || wanted.length === 0) {
      setRead({ key: '', packages: [], missing: [] });
      return;
    }
    let live = true;
    import('../../../workers/fhirValidateClient.ts')
      .then((client) => client.inspectFhirPackagesInWorker(wanted))
      .then(
        (outcome) => {
          if (!live) return;
          if (outcome.ok) setRead({ key: specsKey, packages: outcome.packages, missing: outcome.missing });
          else {
            // settled, so Validate is not held back: it names the same package and what to do
            setRead({ key: specsKey, packages: [], missing: [] });
            setProblems((p) => [...p, `${outcome.problem.message} ${outcome.problem.advice}`]);
          }
        },
        () => {
          if (!live) return;
          setRead({ key: specsKey, packages: [], missing: [] });
          setProblems((p) => [...p, 'Preflight could not read the kept packages. Reload the page.']);
        },
      );
    return () => {
      live = false;
    };
  }, [specsKey]);

  const save = useCallback(
    (nextRefs: readonly ProjectFhirPackage[], nextProfiles: readonly string[]) =>
      dispatch?.({
        type: 'project/settings',
        settings: withProjectFhirPackages(settings, nextRefs, nextProfiles),
      }),
    [dispatch, settings],
  );

  const add = useCallback(
    async (files: readonly File[], terminology = false) => {
      setProblems([]);
      setBusy(true);
      const found: string[] = [];
      let nextRefs = [...refs];
      const kept = new Map(stored ?? []);
      // opened before the files are read: a wipe while they are read is known, and ends the adding
      const store = await openIgPackageStore().catch(() => null);
      let wiped = false;
      try {
        const client = await import('../../../workers/fhirValidateClient.ts');
        for (const file of files) {
          const outcome = await client.inspectFhirPackagesInWorker([
            terminology ? { name: file.name, file, terminology: true } : { name: file.name, file },
          ]);
          if (!outcome.ok) {
            found.push(`${outcome.problem.message} ${outcome.problem.advice}`);
            continue;
          }
          const summary = outcome.packages[0] as FhirPackageSummary;
          if (nextRefs.some((r) => r.sha256 === summary.sha256) && kept.has(summary.sha256)) {
            found.push(`${file.name}: ${summary.name} ${summary.version} is already in this project.`);
            continue;
          }
          const entry: StoredIgPackage = { projectId, sha256: summary.sha256, fileName: file.name, file };
          try {
            if (!store) throw new Error('no package store');
            await store.put(entry);
          } catch (error) {
            if (error instanceof IgPackagesWipedError) {
              wiped = true;
              found.push(`${file.name} was not kept: ${error.message} Reload this tab to continue.`);
              break;
            }
            found.push(
              `${file.name} could not be kept in this browser (storage full or blocked): it applies until the page is reloaded. Free some disk space and add it again.`,
            );
          }
          kept.set(summary.sha256, entry);
          const ref: ProjectFhirPackage = {
            fileName: file.name,
            name: summary.name,
            version: summary.version,
            sha256: summary.sha256,
            bytes: file.size,
            ...(terminology ? { terminology: true as const } : {}),
          };
          nextRefs = [...nextRefs.filter((r) => r.sha256 !== ref.sha256), ref];
        }
      } catch {
        found.push('Preflight could not read the packages. Reload the page and add them again.');
      } finally {
        store?.close();
      }
      setStored(kept);
      const changed = nextRefs.length !== refs.length || nextRefs.some((r, i) => r !== refs[i]);
      // after a wipe the project is no longer stored: nothing of this adding is recorded
      if (changed && !wiped) save(nextRefs, profiles);
      setProblems(found);
      setBusy(false);
    },
    [projectId, refs, stored, profiles, save],
  );

  const remove = useCallback(
    async (sha256: string) => {
      setProblems([]);
      const nextRefs = refs.filter((r) => r.sha256 !== sha256);
      // profiles only the removed package defines no longer apply
      const remaining = new Set(
        read.packages.filter((p) => p.sha256 !== sha256).flatMap((p) => p.profiles.map((c) => c.url)),
      );
      save(
        nextRefs,
        profiles.filter((url) => remaining.has(url)),
      );
      setStored((map) => {
        const next = new Map(map ?? []);
        next.delete(sha256);
        return next;
      });
      try {
        const store = await openIgPackageStore();
        try {
          await store.remove(projectId, sha256);
        } finally {
          store.close();
        }
      } catch {
        // the reference is gone from the project: the bytes left behind are never applied
      }
    },
    [projectId, refs, read.packages, profiles, save],
  );

  const choose = useCallback((next: string[]) => save(refs, next), [refs, save]);

  const current = read.key === specsKey;
  return {
    loaded: stored !== null && (specs.length === 0 || current),
    packages: current ? read.packages : [],
    unreadable:
      current && read.packages.length === 0
        ? refs.filter((ref) => specs.some((spec) => spec.file === stored?.get(ref.sha256)?.file))
        : [],
    missing: current ? read.missing : [],
    absent,
    profiles,
    problems,
    busy,
    specs,
    ...(dispatch ? { add, remove, choose } : {}),
  };
}
