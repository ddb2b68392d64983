/**
 * When each step of `npm test` starts (see tests/runAll.ts). Two relations, kept apart because they
 * differ: `after` is start order only (the unit suite waits for the CLI bundle, so its tests run
 * the bundle, yet still runs when that build failed: they then run the sources), and `needs` is an
 * input (the end-to-end suite tests the production build; without it there is nothing to test, so
 * it is counted as not run). A step needed is also waited for. Pure over the step runner, so the
 * order is unit-tested.
 */

/** What the schedule reads of a step. */
export interface ScheduledStep {
  name: string;
  /** steps that must have ended before this one starts, whatever their outcome */
  after?: readonly string[];
  /** steps whose output this one tests: it starts once they end, and is not run if one failed */
  needs?: readonly string[];
}

/** How a step ended: its exit code, or not run because the step it needs (`failedNeed`) failed. */
export type StepEnd = { code: number } | { notRun: true; failedNeed: string };

/**
 * Runs every step of `steps` through `run` (its exit code), each once all its `after` and `needs`
 * steps have ended, the rest at once and side by side; a step one of whose `needs` ended non-zero
 * or was not run is not run. Resolves with each step's end, by name.
 * @throws Error (at once) naming a step that waits for one not in `steps`, or for itself through others
 */
export async function runScheduled<S extends ScheduledStep>(
  steps: readonly S[],
  run: (step: S) => Promise<number>,
): Promise<Map<string, StepEnd>> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  for (const step of steps)
    for (const name of [...(step.after ?? []), ...(step.needs ?? [])])
      if (!byName.has(name)) throw new Error(`step "${step.name}" waits for "${name}", which is not a step`);
  const ended = new Map<string, Promise<StepEnd>>();
  const waiting = new Set<string>();
  const start = (step: S): Promise<StepEnd> => {
    const known = ended.get(step.name);
    if (known) return known;
    if (waiting.has(step.name)) throw new Error(`step "${step.name}" waits for itself`);
    waiting.add(step.name);
    const needs = step.needs ?? [];
    const waits = [...(step.after ?? []), ...needs].map((name) => start(byName.get(name) as S));
    const running = Promise.all(waits).then(async (): Promise<StepEnd> => {
      for (const name of needs) {
        const end = await (ended.get(name) as Promise<StepEnd>);
        if (!('code' in end) || end.code !== 0) return { notRun: true, failedNeed: name };
      }
      return { code: await run(step) };
    });
    waiting.delete(step.name);
    ended.set(step.name, running);
    return running;
  };
  await Promise.all(steps.map(start));
  const ends = new Map<string, StepEnd>();
  for (const step of steps) ends.set(step.name, await (ended.get(step.name) as Promise<StepEnd>));
  return ends;
}
