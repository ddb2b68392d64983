import { describe, expect, it } from 'vitest';
import { runScheduled, type ScheduledStep, type StepEnd } from '../runSchedule.ts';

/** The steps of `npm test` as tests/runAll.ts orders them. */
const STEPS: ScheduledStep[] = [
  { name: 'CLI build' },
  { name: 'lint' },
  { name: 'build' },
  { name: 'unit', after: ['CLI build'] },
  { name: 'e2e', needs: ['build'] },
];

const ran = (code: number): StepEnd => ({ code });
const notRun = (failedNeed: string): StepEnd => ({ notRun: true, failedNeed });

describe('when each step of npm test runs', () => {
  const cases: { description: string; failing: string[]; expected: Record<string, StepEnd> }[] = [
    {
      description: 'every step runs when nothing fails',
      failing: [],
      expected: { 'CLI build': ran(0), lint: ran(0), build: ran(0), unit: ran(0), e2e: ran(0) },
    },
    {
      description: 'the unit suite still runs after a failed CLI bundle (it runs the sources)',
      failing: ['CLI build'],
      expected: { 'CLI build': ran(1), lint: ran(0), build: ran(0), unit: ran(0), e2e: ran(0) },
    },
    {
      description: 'the end-to-end suite is not run without the production build it tests',
      failing: ['build'],
      expected: { 'CLI build': ran(0), lint: ran(0), build: ran(1), unit: ran(0), e2e: notRun('build') },
    },
    {
      description: 'a failed step that nothing needs stops nothing',
      failing: ['lint', 'unit'],
      expected: { 'CLI build': ran(0), lint: ran(1), build: ran(0), unit: ran(1), e2e: ran(0) },
    },
  ];
  it.each(cases)('$description', async ({ failing, expected }) => {
    const ends = await runScheduled(STEPS, async (step) => (failing.includes(step.name) ? 1 : 0));
    expect(Object.fromEntries(ends)).toEqual(expected);
  });

  it('starts a step only once what it comes after and what it needs have ended, the rest at once', async () => {
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    const schedule = runScheduled(STEPS, (step) => {
      started.push(step.name);
      return new Promise((done) => gates.set(step.name, () => done(0)));
    });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    await settle();
    expect(started).toEqual(['CLI build', 'lint', 'build']);
    gates.get('build')?.();
    await settle();
    expect(started).toEqual(['CLI build', 'lint', 'build', 'e2e']);
    gates.get('CLI build')?.();
    await settle();
    expect(started).toEqual(['CLI build', 'lint', 'build', 'e2e', 'unit']);
    for (const open of gates.values()) open();
    expect(Object.fromEntries(await schedule)).toEqual({
      'CLI build': ran(0),
      lint: ran(0),
      build: ran(0),
      unit: ran(0),
      e2e: ran(0),
    });
  });

  it('refuses a step that waits for one that is not a step, or for itself', async () => {
    const run = async () => 0;
    await expect(runScheduled([{ name: 'e2e', needs: ['bulid'] }], run)).rejects.toThrow(
      'step "e2e" waits for "bulid", which is not a step',
    );
    await expect(
      runScheduled(
        [
          { name: 'a', after: ['b'] },
          { name: 'b', needs: ['a'] },
        ],
        run,
      ),
    ).rejects.toThrow('waits for itself');
  });
});
