/**
 * One root cause, one finding: the fold as a table (which findings become one, which stay apart),
 * then on the demo pairs, where an approval and a pair of steps were counted two and three times.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { analyzeWorkflow } from './analyze.ts';
import { foldRootCauses, hasRule, ruleFindingsOf } from './rootCauses.ts';
import type { Finding, FindingSeverity } from './rules/types.ts';

const f = (rule: string, severity: FindingSeverity, ...stepIds: string[]): Finding => ({
  rule,
  severity,
  stepIds,
  message: `${rule} on ${stepIds.join(', ') || 'the workflow'}`,
  evidence: {},
});

/** A folded list as `rule+rule[steps]`, readable in a table. */
const shape = (findings: readonly Finding[]) =>
  findings.map((x) => `${(x.rules ?? [x.rule]).join('+')}[${x.stepIds.join(',')}]`);

describe('foldRootCauses', () => {
  it.each<{ name: string; findings: Finding[]; expected: string[] }>([
    {
      name: 'a pair typed twice in two systems: duplicate entry and manual transcription are one',
      findings: [f('manual-transcription', 'error', 'a', 'b'), f('duplicate-entry', 'warn', 'a', 'b')],
      expected: ['manual-transcription+duplicate-entry[a,b]'],
    },
    {
      name: 'one approval digitized, keeping its wait, next to a second approval: one root cause of three rules',
      findings: [
        f('digitized-paper-step', 'error', 'x'),
        f('carried-over-wait', 'warn', 'x'),
        f('serial-approval', 'warn', 'x', 'y'),
      ],
      expected: ['digitized-paper-step+carried-over-wait+serial-approval[x,y]'],
    },
    {
      name: 'two kept waits inside one chain of approvals: the chain is their root cause',
      findings: [
        f('serial-approval', 'warn', 'x', 'y'),
        f('carried-over-wait', 'warn', 'x'),
        f('carried-over-wait', 'warn', 'y'),
      ],
      expected: ['serial-approval+carried-over-wait[x,y]'],
    },
    {
      name: 'rules of different causes on the same steps stay apart',
      findings: [f('carried-over-wait', 'warn', 'a'), f('duplicate-entry', 'warn', 'a', 'b')],
      expected: ['carried-over-wait[a]', 'duplicate-entry[a,b]'],
    },
    {
      name: 'a rule without a cause (too many clicks) is never folded, even on the same step',
      findings: [f('digitized-paper-step', 'error', 'x'), f('click-burden', 'info', 'x')],
      expected: ['digitized-paper-step[x]', 'click-burden[x]'],
    },
    {
      name: 'steps that overlap without nesting are two problems',
      findings: [f('duplicate-entry', 'warn', 'a', 'b'), f('manual-transcription', 'warn', 'b', 'c')],
      expected: ['duplicate-entry[a,b]', 'manual-transcription[b,c]'],
    },
    {
      name: 'two findings of one rule are two problems',
      findings: [f('carried-over-wait', 'warn', 'a'), f('carried-over-wait', 'warn', 'a')],
      expected: ['carried-over-wait[a]', 'carried-over-wait[a]'],
    },
    {
      name: 'findings on no step are never folded',
      findings: [f('duplicate-entry', 'warn'), f('manual-transcription', 'warn')],
      expected: ['duplicate-entry[]', 'manual-transcription[]'],
    },
  ])('$name', ({ findings, expected }) => {
    const folded = foldRootCauses(findings);
    expect(shape(folded)).toEqual(expected);
    // nothing is lost: the rules' own findings are all still there, as they were given
    expect(
      ruleFindingsOf(folded)
        .map(({ rules: _r, ...x }) => x)
        .sort((a, b) => a.message.localeCompare(b.message)),
    ).toEqual([...findings].sort((a, b) => a.message.localeCompare(b.message)));
  });

  it('the leading finding is the first in analysis order and keeps its severity and message', () => {
    const [one] = foldRootCauses([
      f('manual-transcription', 'error', 'a', 'b'),
      f('duplicate-entry', 'warn', 'a', 'b'),
    ]);
    expect(one).toMatchObject({
      rule: 'manual-transcription',
      severity: 'error',
      message: 'manual-transcription on a, b',
      rules: ['manual-transcription', 'duplicate-entry'],
    });
    expect(one?.parts?.map((p) => p.rule)).toEqual(['manual-transcription', 'duplicate-entry']);
    expect(hasRule(one as Finding, 'duplicate-entry')).toBe(true);
  });
});

function sample(name: string): Workflow {
  const loaded = loadWorkflow(
    JSON.parse(readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8')),
  );
  if (!loaded.ok) throw new Error(`sample ${name} does not load`);
  return loaded.value;
}

describe('the demo pairs count root causes', () => {
  it.each([
    {
      pair: 'patient-intake',
      folded: [
        'digitized-paper-step+carried-over-wait+serial-approval[manager-approves-selfpay-eform,billing-lead-approves-discount]',
        'manual-transcription+duplicate-entry[portal-preregistration,ma-allergy-med-entry]',
      ],
      // 21 findings of the rules, 3 of them folded into the two root causes above
      count: 18,
    },
    {
      pair: 'prescription-refill',
      folded: [
        'digitized-paper-step+carried-over-wait+serial-approval+kept-handoff-wait[physician-signs-refill,ma-pends-refill]',
      ],
      count: 3,
    },
    {
      pair: 'referral-processing',
      folded: [
        'digitized-paper-step+carried-over-wait[work-referral-queue]',
        'duplicate-entry+manual-transcription[register-from-efax,payer-portal-auth]',
      ],
      count: 7,
    },
  ])('$pair: $count root causes', ({ pair, folded, count }) => {
    const { findings } = analyzeWorkflow(sample(`${pair}.future`), { baseline: sample(`${pair}.current`) });
    expect(shape(findings.filter((x) => (x.rules ?? []).length > 1))).toEqual(folded);
    expect(findings).toHaveLength(count);
    // every finding says which rules it carries
    for (const x of findings) expect(x.rules?.[0]).toBe(x.rule);
  });
});
