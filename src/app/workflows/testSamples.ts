/**
 * The demo clinic's sample workflows for component tests, loaded and validated as the app loads
 * them (`loadWorkflow`). Test-only: it reads the samples folder with node:fs, which the app
 * never has, from the repository's root (vitest's working directory: jsdom's `import.meta.url` is
 * not a file address).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { demoSettings } from '../demo/demoProject.ts';

/** A sample of `samples/workflows/`, by its file name without `.json`. */
export function sampleWorkflow(name: string): Workflow {
  const json: unknown = JSON.parse(
    readFileSync(join(process.cwd(), 'samples', 'workflows', `${name}.json`), 'utf8'),
  );
  const loaded = loadWorkflow(json);
  if (!loaded.ok) throw new Error(`sample ${name} does not load`);
  return loaded.value;
}

/** Every workflow of the demo clinic, in file-name order as the demo project holds them. */
export function sampleWorkflows(): Workflow[] {
  return readdirSync(join(process.cwd(), 'samples', 'workflows'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => sampleWorkflow(file.replace(/\.json$/, '')));
}

/**
 * A project holding the demo clinic's workflows and its settings, and nothing else: the Workflows
 * workspace reads no extract, so the demo's (fetched by the app) are left out.
 */
export function sampleProject(): Project {
  const project = createProject({ id: 'demo-test', name: 'Demo clinic', now: '2026-01-05T09:00:00.000Z' });
  return { ...project, meta: { ...project.meta, settings: demoSettings() }, workflows: sampleWorkflows() };
}
