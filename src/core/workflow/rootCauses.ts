/**
 * One root cause, one finding. Several rules can fire on the same trouble: an approval rebuilt
 * from paper that keeps its wait is `digitized-paper-step`, `carried-over-wait` and, next to a
 * second approval, `serial-approval`; a pair of steps typing the same data in two systems is
 * `duplicate-entry` and `manual-transcription`. Counted apart, one problem looks like three.
 *
 * Rule: findings of different rules that declare the same `cause` (rules/types.ts) and whose
 * steps nest — every step of one is a step of the other — are one root cause; the relation is
 * closed transitively (two kept waits inside one chain of approvals are that chain). The root
 * cause is reported as its first finding in analysis order (highest severity, then rule table
 * order), with `rules` listing every rule id once, `parts` every finding of the root cause as its
 * rule gave it (the leading one first), and `stepIds` the union of their steps. Every finding returned has `rules`, so consumers read one field.
 * Findings on no step, and rules without a cause, are never folded.
 *
 * Pure; the result depends only on the findings given, in the order given.
 */
import { ruleById } from './rules/index.ts';
import type { Finding } from './rules/types.ts';

/** Every rule id of `finding`: its `rules` when the analysis set them, else its own rule. */
export function ruleTagsOf(finding: { rule: string; rules?: readonly string[] }): readonly string[] {
  return finding.rules && finding.rules.length > 0 ? finding.rules : [finding.rule];
}

/**
 * The findings as each rule gave them, before root causes were folded: every part of a folded
 * finding, and every other finding as it is (analysis order kept).
 */
export function ruleFindingsOf(findings: readonly Finding[]): Finding[] {
  return findings.flatMap((f) => (f.parts && f.parts.length > 0 ? f.parts : [f]));
}

/** True when `finding` carries `rule` among its tags. */
export function hasRule(finding: { rule: string; rules?: readonly string[] }, rule: string): boolean {
  return ruleTagsOf(finding).includes(rule);
}

/**
 * Folds findings of one root cause into one (see the header). `findings` are in analysis order;
 * the result keeps the order of each root cause's first finding.
 */
export function foldRootCauses(findings: readonly Finding[]): Finding[] {
  const parent = findings.map((_, index) => index);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // the smaller index stays the root, so the first finding in analysis order leads its group
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  const causes = findings.map((f) => ruleById(f.rule)?.cause);
  const stepSets = findings.map((f) => new Set(f.stepIds));
  // findings with a cause, by cause and step: the candidates containing a given step
  const byStep = new Map<string, number[]>();
  causes.forEach((cause, index) => {
    if (!cause) return;
    for (const id of stepSets[index] as Set<string>) {
      const key = `${cause}\u0000${id}`;
      const list = byStep.get(key);
      if (list) list.push(index);
      else byStep.set(key, [index]);
    }
  });
  findings.forEach((finding, index) => {
    const cause = causes[index];
    const first = finding.stepIds[0];
    if (!cause || first === undefined) return;
    const mine = stepSets[index] as Set<string>;
    for (const other of byStep.get(`${cause}\u0000${first}`) ?? []) {
      if (other === index || findings[other]?.rule === finding.rule) continue;
      const theirs = stepSets[other] as Set<string>;
      if (mine.size <= theirs.size && [...mine].every((id) => theirs.has(id))) union(index, other);
    }
  });
  const groups = new Map<number, number[]>();
  findings.forEach((_, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(index);
    else groups.set(root, [index]);
  });
  const result: Finding[] = [];
  for (const [root, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const lead = findings[root] as Finding;
    const folded = members.filter((i) => i !== root).map((i) => findings[i] as Finding);
    const rules = [...new Set([lead.rule, ...folded.map((f) => f.rule)])];
    const stepIds = [...new Set([...lead.stepIds, ...folded.flatMap((f) => f.stepIds)])];
    const merged: Finding = { ...lead, stepIds, rules };
    if (folded.length > 0) merged.parts = [lead, ...folded].map((f) => ({ ...f, rules: [f.rule] }));
    result.push(merged);
  }
  return result;
}
