import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { loadSignoffReport } from '../../../formats/signoffReport.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { escapeHtml, restoreCsvCell } from '../../validation/index.ts';
import { pendingAuditEntries } from '../signing/auditChain.ts';
import { REVIEWED_MEANING, resultsHash, verifySignature } from '../signing/signature.ts';
import { rosteredExport } from '../signing/testing/rosterScenario.ts';
import {
  lockedReview,
  signedAgain,
  signedExport,
  signedThenDecided,
  softAuthenticator,
} from '../signing/testing/signedExport.ts';
import { signoffBundle } from './signoffBundle.ts';
import {
  DECISIONS_CSV_COLUMNS,
  decisionsCsv,
  IDENTITY_NOTE,
  NO_ROSTER_NOTE,
  signaturesInReportOrder,
  signoffReportFile,
  signoffReportHtml,
  staleSignaturesText,
  TAMPER_EVIDENCE_NOTE,
} from './signoffReport.ts';

describe('signoffReportHtml', () => {
  it('shows the signature manifestation, the verdict with Clopper–Pearson bounds, counts, hashes and the note', async () => {
    const { file, plan, review, signature } = await signedExport(await softAuthenticator());
    const verification = await verifySignature(review, signature, file.entries, file.plans);
    const html = signoffReportHtml({
      projectName: 'Riverside Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: '2025-03-02T18:00:00+01:00',
      verifications: [verification],
    });
    for (const text of [
      'Sam Okafor',
      'Clinical lead',
      '2025-03-02T17:30:00+01:00',
      signature.meaning,
      signature.signoffSha256,
      signature.resultsSha256,
      signature.chainHead,
      review.plan.hash,
      'Clopper–Pearson',
      'Verified',
      'WebAuthn',
    ])
      expect(html).toContain(text);
    expect(html).toContain(TAMPER_EVIDENCE_NOTE.replaceAll('’', '’').slice(0, 60));
    expect(html).toMatch(/@media print/);
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it.each([
    { description: 'no decision after signing', after: 0, stale: false },
    { description: 'one decision after signing', after: 1, stale: true },
    { description: 'two decisions after signing', after: 2, stale: true },
  ])('says whether the signature covers the results now: $description', async ({ after, stale }) => {
    const { file, plan, review, signature } = await signedThenDecided(
      Array.from({ length: after }, (_, i) => ({
        ...fixtureDecision(`late${i}`, `MRN-${10 + i}`, 'reject'),
        decidedAt: '2025-03-03T08:05:00+01:00',
      })),
    );
    const html = signoffReportHtml({
      projectName: 'Riverside Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: '2025-03-03T09:00:00+01:00',
    });
    // the signed hash and the hash now, side by side in the signature's block
    const block = html.slice(html.indexOf('<div class="signature"'), html.indexOf('<h2>Verdict'));
    expect(block).toContain(signature.resultsSha256);
    expect(block).toContain(`Results hash now</dt><dd><span class="hash">${resultsHash(review)}`);
    expect(resultsHash(review) === signature.resultsSha256).toBe(!stale);
    expect(block).toContain(
      stale
        ? `${after} ${after === 1 ? 'decision was' : 'decisions were'} logged after this signature`
        : 'Covers every decision recorded so far.',
    );
    expect(html.includes('data-coverage="stale"')).toBe(stale);
    if (stale) expect(html).toContain(staleSignaturesText(1));
    expect(html).toMatch(
      new RegExp(`Logged after the latest signature \\(not covered by it\\)</th><td class="num">${after}<`),
    );
  });

  it.each([
    { signatures: 1, start: 'The signature does not cover every decision' },
    { signatures: 2, start: 'The latest signature does not cover every decision' },
  ])('warns above the signatures: $signatures', ({ signatures, start }) => {
    expect(staleSignaturesText(signatures).startsWith(start)).toBe(true);
  });

  it.each([
    { description: 'signed, a decision, signed again', decidedAgain: false, stale: false },
    { description: 'signed, a decision, signed again, another decision', decidedAgain: true, stale: true },
  ])('judges the latest signature only: $description', async ({ decidedAgain, stale }) => {
    const again = signedAgain(
      await signedThenDecided([
        { ...fixtureDecision('late1', 'MRN-20', 'reject'), decidedAt: '2025-03-03T08:05:00+01:00' },
      ]),
    );
    const { file, plan, review } = decidedAgain
      ? await (async () => {
          const more = {
            ...fixtureDecision('late2', 'MRN-21', 'accept'),
            decidedAt: '2025-03-04T08:05:00+01:00',
          };
          const decided = {
            ...again.review,
            decisions: [...again.review.decisions, { ...more, planHash: again.review.plan.hash }],
          };
          const head = again.file.entries[again.file.entries.length - 1];
          const logged = new Set(again.review.decisions.map((d) => d.id));
          return {
            file: {
              ...again.file,
              entries: [...again.file.entries, ...pendingAuditEntries(head, [decided], logged)],
            },
            plan: again.plan,
            review: decided,
          };
        })()
      : again;
    const html = signoffReportHtml({
      projectName: 'Riverside Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: 'now',
    });
    expect(html.includes('data-coverage="stale"')).toBe(stale);
    if (stale) expect(html).toContain(staleSignaturesText(2));
    const blocks = html
      .slice(html.indexOf('<div class="signature'), html.indexOf('<h2>Verdict'))
      .split(/<div class="signature/);
    // the current (second) signature comes first; the first, replaced by it, is never told to sign again
    expect(blocks[1]).not.toContain('Replaced by');
    expect(blocks[1]).toContain(stale ? 'sign again to cover it' : 'Covers every decision recorded so far.');
    expect(blocks[2]).toContain('Replaced by a later signature, signed 2025-03-03 at 17:30 (UTC+01:00).');
    expect(blocks[2]).not.toContain('sign again');
  });

  it('escapes everything: a name with markup stays text', () => {
    const { plan, review } = lockedReview([fixtureDecision('d1')]);
    const html = signoffReportHtml({
      projectName: '<img src=x onerror=alert(1)>',
      plan: { ...plan, name: '<b>Plan</b>' },
      review,
      entries: [],
      generatedAt: '2025-03-02T18:00:00Z',
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Plan');
    expect(html).toContain('Not signed yet.');
  });

  it("prints the reasons the evidence gave the plan's strata and its size rule", () => {
    const { plan, review } = lockedReview([fixtureDecision('d1')]);
    const [first, ...rest] = plan.population.strata;
    const risky: SamplePlan = {
      ...plan,
      sizeRule: { id: 'resample-tighter', borderline: 0.005, tighterBy: 0.5 },
      population: {
        ...plan.population,
        strata: [
          {
            ...(first as SamplePlan['population']['strata'][number]),
            reasons: [{ kind: 'worse', text: '1 check new or worse: <dob>' }],
          },
          ...rest,
        ],
      },
    };
    const html = signoffReportHtml({
      projectName: 'P',
      plan: risky,
      review,
      entries: [],
      generatedAt: '2025-03-02T18:00:00Z',
    });
    expect(html).toContain('<h3>Strata from the evidence</h3>');
    expect(html).toContain(`<li>${first?.id}: 1 check new or worse: &lt;dob&gt;</li>`);
    expect(html).toMatch(/<li>Size rule resample-tighter: [^<]*never topped up\.<\/li>/);
    expect(
      signoffReportHtml({ projectName: 'P', plan, review, entries: [], generatedAt: '2025-03-02T18:00:00Z' }),
    ).not.toContain('Strata from the evidence');
  });

  it('holds no comment (record content stays out of the printed report)', () => {
    const { plan, review } = lockedReview([
      { ...fixtureDecision('d1'), comment: 'DOB 1931-02-03 looks wrong' },
    ]);
    const html = signoffReportHtml({
      projectName: 'P',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-02T18:00:00Z',
    });
    expect(html).not.toContain('1931');
  });
});

describe('record detail in the report', () => {
  const critical = {
    ...fixtureDecision('d2', 'MRN-2', 'reject'),
    decidedAt: '2025-03-02T09:20:00+01:00',
    findings: [{ field: 'allergies', reason: 'missing' as const, defectClass: 'critical' as const }],
    comment: 'Penicillin <allergy> missing',
  };
  const cannot = {
    ...fixtureDecision('d3', 'MRN-3', 'cannot-assess'),
    reviewer: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
  };
  const ruling = {
    ...fixtureDecision('d4', 'MRN-3', 'accept'),
    stage: 'adjudication' as const,
    reviewer: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
    decidedAt: '2025-03-03T11:05:00+01:00',
    comment: 'Adopted the first reviewer’s decision: scan of the chart checked',
  };
  const html = (includeComments?: boolean) => {
    const { plan, review } = lockedReview([fixtureDecision('d1', 'MRN-1'), critical, cannot, ruling]);
    return signoffReportHtml({
      projectName: 'P',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-04T18:00:00Z',
      ...(includeComments === undefined ? {} : { includeComments }),
    });
  };
  /** The text of the table marked `data-detail="name"`, tags removed. */
  const table = (page: string, name: string) => {
    const at = page.indexOf(`data-detail="${name}"`);
    return at < 0 ? '' : page.slice(at, page.indexOf('</table>', at)).replace(/<[^>]+>/g, ' ');
  };

  it.each([
    {
      section: 'rejected-or-critical',
      has: [
        'MRN-2 (row 2)',
        'Dana Reyes',
        'RN-204',
        '2025-03-02T09:20:00+01:00',
        'allergies: missing, critical',
        'Rejected',
      ],
      not: ['MRN-1', 'MRN-3'],
    },
    {
      section: 'cannot-assess',
      has: ['MRN-3 (row 3)', 'Sam Okafor', 'Cannot assess', 'Adjudication', 'Lee Park', 'Decided'],
      not: ['MRN-1', 'MRN-2'],
    },
    {
      section: 'adjudications',
      has: [
        'MRN-3',
        'Cannot assess by Sam Okafor (MD-17)',
        'Lee Park',
        'MD-01',
        '2025-03-03T11:05:00+01:00',
        'Accepted',
      ],
      not: ['MRN-1', 'MRN-2'],
    },
  ])('lists the $section records with who, when, fields, reason and class', ({ section, has, not }) => {
    const text = table(html(), section);
    for (const t of has) expect(text).toContain(t);
    for (const t of not) expect(text).not.toContain(t);
  });

  it.each([
    { includeComments: undefined, shown: false },
    { includeComments: false, shown: false },
    { includeComments: true, shown: true },
  ])('prints comments only when chosen (include: $includeComments)', ({ includeComments, shown }) => {
    const page = html(includeComments);
    expect(page.includes('Penicillin &lt;allergy&gt; missing')).toBe(shown);
    expect(page.includes('scan of the chart checked')).toBe(shown);
    expect(page).not.toContain('<allergy>');
    if (!shown) expect(table(page, 'rejected-or-critical')).toContain('Written; not printed');
  });

  it.each([false, true])('the JSON lists load as a sign-off report (comments: %s)', (includeComments) => {
    const { plan, review } = lockedReview([fixtureDecision('d1', 'MRN-1'), critical, cannot, ruling]);
    const file = signoffReportFile({
      projectName: 'P',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-04T18:00:00Z',
      includeComments,
    });
    const loaded = loadSignoffReport(JSON.parse(JSON.stringify(file)));
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    expect(file).toMatchObject({
      format: 'preflight.signoffreport/v1',
      plan: { id: plan.id, name: plan.name, hash: review.plan.hash },
      resultsSha256: resultsHash(review),
      chain: { head: '0'.repeat(64), length: 0 },
      includesComments: includeComments,
    });
    expect(file.rejectedOrCritical.map((r) => r.recordKey)).toEqual(['MRN-2']);
    expect(file.adjudications.map((a) => a.adjudication.reviewer.id)).toEqual(['MD-01']);
    expect(JSON.stringify(file).includes('Penicillin')).toBe(includeComments);
  });

  it('a report file made without comments that carries one is refused at its path', () => {
    const { plan, review } = lockedReview([critical]);
    const file = signoffReportFile({
      projectName: 'P',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-04T18:00:00Z',
    });
    const tampered = structuredClone(file);
    (tampered.rejectedOrCritical[0]?.decisions[0] as { comment?: string }).comment = 'x';
    const loaded = loadSignoffReport(tampered);
    expect(loaded.ok ? [] : loaded.problems.map((p) => [p.path, p.code])).toEqual([
      ['/rejectedOrCritical/0/decisions/0/comment', 'inconsistent'],
    ]);
  });

  it('says so when nothing was rejected, could not be assessed or adjudicated', () => {
    const { plan, review } = lockedReview([fixtureDecision('d1', 'MRN-1')]);
    const page = signoffReportHtml({
      projectName: 'P',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-04T18:00:00Z',
    });
    for (const t of [
      'No record was rejected or marked with a critical defect.',
      'No record was marked “cannot assess”.',
      'No record has been adjudicated.',
    ])
      expect(page).toContain(t);
  });
});

describe('decisionsCsv', () => {
  /** One CSV row's cells (RFC 4180 quoting), as a spreadsheet reads them. */
  function cellsOf(row: string): string[] {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < row.length; i++) {
      const c = row.charAt(i);
      if (quoted) {
        if (c === '"' && row.charAt(i + 1) === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return cells;
  }

  it('neutralises formula injection in every cell and round-trips the comment (printable ASCII)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (comment) => {
        const { review } = lockedReview([{ ...fixtureDecision('d1'), comment }]);
        const [header, row] = decisionsCsv(review).split('\r\n');
        expect(header).toBe(DECISIONS_CSV_COLUMNS.join(','));
        const cells = cellsOf(row as string);
        expect(cells).toHaveLength(DECISIONS_CSV_COLUMNS.length);
        for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        expect(restoreCsvCell(cells[6] as string)).toBe(comment);
      }),
    );
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)'])('writes %s as text', (comment) => {
    const { review } = lockedReview([{ ...fixtureDecision('d1'), comment }]);
    expect(decisionsCsv(review)).toContain(`'${comment.replaceAll('"', '""')}`);
  });
});

describe('accepted issues in the sign-off report', () => {
  it('lists the waivers in force, escaped, and leaves the section out when there are none', async () => {
    const { file, plan, review } = await signedThenDecided([]);
    const input = {
      projectName: 'Riverside Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: '2025-03-03T09:00:00+01:00',
    };
    const accepted =
      'contract.required at birth_date — accepted until 2026-06-30, owner Dana <Lead>: walk-ins';
    const html = signoffReportHtml({ ...input, acceptedIssues: [accepted] });
    expect(html).toContain('<h2>Accepted issues in the migration checks</h2>');
    expect(html).toContain('owner Dana &lt;Lead&gt;: walk-ins</li>');
    expect(signoffReportHtml({ ...input, acceptedIssues: [] })).not.toContain('Accepted issues');
  });
});

describe('the report on who signed and the chain head', () => {
  it('prints the head with the command that finds truncation, and what a bound key proves', async () => {
    const { file, review } = await rosteredExport();
    const plan = file.plans?.[0] as SamplePlan;
    const html = signoffReportHtml({
      projectName: 'Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: '2025-03-02T18:00:00Z',
      roster: file.roster,
    });
    const head = file.entries.at(-1)?.hash as string;
    expect(html).toContain(`--expect-head ${head}`);
    expect(html).toContain('Audit log at printing: 10 entries');
    expect(html).toContain(escapeHtml(IDENTITY_NOTE));
    expect(html).toContain('the key the data lead bound to this signer on the roster');
    const bare = signoffReportHtml({
      projectName: 'Clinic',
      plan,
      review,
      entries: file.entries,
      generatedAt: 'x',
    });
    expect(bare).toContain(escapeHtml(NO_ROSTER_NOTE));
  });
});

describe('signatures in the report: the current one first, superseded ones marked', () => {
  it.each([
    { count: 0, expected: [] },
    { count: 1, expected: ['s1'] },
    { count: 2, expected: ['s2', 's1<s2'] },
    { count: 3, expected: ['s3', 's2<s3', 's1<s2'] },
  ])('$count signatures: $expected', async ({ count, expected }) => {
    const { review, signature } = await signedExport();
    const signatures = Array.from({ length: count }, (_, i) => ({ ...signature, id: `s${i + 1}` }));
    const placed = signaturesInReportOrder({ ...review, signatures });
    expect(
      placed.map((p) => (p.supersededBy ? `${p.signature.id}<${p.supersededBy.id}` : p.signature.id)),
    ).toEqual(expected);
    for (const p of placed) expect(signatures[p.index]).toBe(p.signature);
  });

  it('never lets a superseded "do not approve" lead: it follows the current signature, marked', async () => {
    const signed = await signedThenDecided([
      { ...fixtureDecision('late1', 'MRN-20', 'reject'), decidedAt: '2025-03-03T08:05:00+01:00' },
    ]);
    const refusal = 'I do not approve going live with this migration.';
    const first = signed.review.signatures?.[0];
    if (!first) throw new Error('the scenario has a signature');
    const again = signedAgain({
      ...signed,
      review: { ...signed.review, signatures: [{ ...first, meaning: refusal }] },
    });
    const html = signoffReportHtml({
      projectName: 'Riverside Clinic',
      plan: again.plan,
      review: again.review,
      entries: again.file.entries,
      generatedAt: '2025-03-04T09:00:00+01:00',
    });
    const section = html.slice(html.indexOf('<h2>Signatures'), html.indexOf('<h2>Verdict'));
    const blocks = section.split(/<div class="signature/).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^" data-signature="current">/);
    expect(blocks[0]).toContain(again.signature.meaning);
    expect(blocks[0]).not.toContain('Superseded by');
    expect(blocks[1]).toMatch(/^ superseded" data-signature="superseded">/);
    expect(blocks[1]).toContain(
      'Superseded by the signature of Sam Okafor (staff id CL-7) signed 2025-03-03T17:30:00+01:00',
    );
    expect(blocks[1]).toContain(refusal);
    expect(section.indexOf(again.signature.meaning)).toBeLessThan(section.indexOf(refusal));
    expect(section.indexOf('<h3>Superseded signatures</h3>')).toBeGreaterThan(
      section.indexOf(again.signature.meaning),
    );
  });
});

describe('co-signatures in the report: every current signature leads, none replaced', () => {
  it('a clinical lead and a nurse signing the same results both read as current', async () => {
    const signed = await signedThenDecided([
      { ...fixtureDecision('late1', 'MRN-20', 'accept'), decidedAt: '2025-03-03T08:05:00+01:00' },
    ]);
    const lead = signedAgain(signed, '2025-03-03T10:00:00+01:00');
    const cosigned = signedAgain(lead, '2025-03-03T11:00:00+01:00', {
      signer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
      meaning: REVIEWED_MEANING,
    });
    expect(
      signaturesInReportOrder(cosigned.review).map((p) =>
        p.supersededBy ? `${p.signature.id}<${p.supersededBy.id}` : p.signature.id,
      ),
    ).toEqual(['sig3', 'sig2', 'sig1<sig2']);
    const html = signoffReportHtml({
      projectName: 'Riverside Clinic',
      plan: cosigned.plan,
      review: cosigned.review,
      entries: cosigned.file.entries,
      generatedAt: '2025-03-04T09:00:00+01:00',
    });
    const section = html.slice(html.indexOf('<h2>Signatures'), html.indexOf('<h2>Verdict'));
    const blocks = section.split(/<div class="signature/).slice(1);
    expect(blocks.map((b) => /data-signature="(\w+)"/.exec(b)?.[1])).toEqual([
      'current',
      'current',
      'superseded',
    ]);
    // the lead's signature is not "replaced" by the nurse's co-signature
    expect(blocks[1]).toContain('Covers every decision recorded so far.');
    expect(blocks[1]).not.toContain('Replaced by');
    expect(blocks[2]).toContain('Superseded by the signature of Sam Okafor (staff id CL-7)');
    expect(section.indexOf('<h3>Superseded signatures</h3>')).toBeGreaterThan(
      section.indexOf(blocks[1] as string),
    );
  });
});

describe('changed decisions and the audit trail in the report', () => {
  const rejected = { ...fixtureDecision('d1', 'MRN-2', 'reject'), decidedAt: '2025-03-02T09:15:00+01:00' };
  const accepted = {
    ...fixtureDecision('d2', 'MRN-2', 'accept'),
    reviewer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
    decidedAt: '2025-03-02T10:40:00+01:00',
    change: {
      replaces: 'd1',
      previousOutcome: 'reject' as const,
      reason: 'Birth date <checked> on the scan',
    },
  };
  const made = (includeComments: boolean) => {
    const { plan, review } = lockedReview([rejected, accepted]);
    const entries = pendingAuditEntries(undefined, [review], new Set());
    return { plan, review, entries, includeComments, projectName: 'P', generatedAt: '2025-03-04T18:00:00Z' };
  };
  const table = (page: string, name: string) => {
    const at = page.indexOf(`data-detail="${name}"`);
    return at < 0 ? '' : page.slice(at, page.indexOf('</table>', at)).replace(/<[^>]+>/g, ' ');
  };

  it.each([
    { includeComments: false, reason: 'Given; not printed' },
    { includeComments: true, reason: 'Birth date &lt;checked&gt; on the scan' },
  ])(
    'lists the change with before, after, who, when and the reason (comments: $includeComments)',
    ({ includeComments, reason }) => {
      const text = table(signoffReportHtml(made(includeComments)), 'changes');
      for (const t of [
        'MRN-2 (row 1)',
        'First review',
        'Rejected by Dana Reyes (RN-204) at 2025-03-02T09:15:00+01:00; birthDate: wrong value, major',
        'Accepted; None marked',
        'Dana Reyes, Registered nurse (staff id RN-204)',
        '2025-03-02T10:40:00+01:00',
        reason,
      ])
        expect(text).toContain(t);
      if (!includeComments) expect(text).not.toContain('on the scan');
    },
  );

  it('says so when no decision changed', () => {
    const { plan, review } = lockedReview([rejected]);
    expect(
      signoffReportHtml({ projectName: 'P', plan, review, entries: [], generatedAt: '2025-03-04T18:00:00Z' }),
    ).toContain('No decision was changed.');
  });

  it('prints the trail as an appendix with the head hash and length, and no record key', () => {
    const input = made(false);
    const page = signoffReportHtml(input);
    const appendix = page.slice(page.indexOf('<h2 id="audit-trail">'));
    const head = input.entries[input.entries.length - 1];
    expect(input.entries).toHaveLength(2);
    expect(appendix).toContain(
      `holds 2 entries; the last one's hash (the chain head) is <span class="hash">${head?.hash}`,
    );
    const text = table(appendix, 'trail');
    for (const e of input.entries)
      expect(text).toMatch(
        new RegExp(
          `${e.seq}\\s+Decision\\s+${e.at.replace(/[+.]/g, '\\$&')}\\s+RN-204\\s+${e.hash.slice(0, 12)}\\s`,
        ),
      );
    expect(text).not.toContain('MRN-2');
    expect(text).not.toContain(head?.hash ?? 'no head');
  });

  it.each([false, true])('the JSON lists carry the changes and load (comments: %s)', (includeComments) => {
    const file = signoffReportFile(made(includeComments));
    const loaded = loadSignoffReport(JSON.parse(JSON.stringify(file)));
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    expect(file.changes).toEqual([
      expect.objectContaining({
        recordKey: 'MRN-2',
        previousOutcome: 'reject',
        previous: expect.objectContaining({ outcome: 'reject', decidedAt: '2025-03-02T09:15:00+01:00' }),
        decision: expect.objectContaining({ outcome: 'accept', reviewer: accepted.reviewer }),
        reasonGiven: true,
      }),
    ]);
    expect(JSON.stringify(file).includes('on the scan')).toBe(includeComments);
  });

  it('a report file made without comments that carries a change reason is refused at its path', () => {
    const file = structuredClone(signoffReportFile(made(false)));
    (file.changes?.[0] as { reason?: string }).reason = 'x';
    const loaded = loadSignoffReport(file);
    expect(loaded.ok ? [] : loaded.problems.map((p) => [p.path, p.code])).toEqual([
      ['/changes/0/reason', 'inconsistent'],
    ]);
  });

  it('an older file without changes still loads', () => {
    const { changes: _changes, ...older } = signoffReportFile(made(false));
    expect(loadSignoffReport(older).ok).toBe(true);
  });
});

describe('records awaiting adjudication in the report, counted at worst', () => {
  const second = { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' };
  const made = (adjudicated: boolean) => {
    const { plan, review } = lockedReview([]);
    const decisions = [
      { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' as const },
      {
        ...fixtureDecision('d2', 'MRN-1', 'reject'),
        stage: 'second' as const,
        reviewer: second,
        findings: [{ field: 'allergies', reason: 'missing' as const, defectClass: 'critical' as const }],
      },
      { ...fixtureDecision('d3', 'MRN-2', 'accept'), stage: 'first' as const },
      { ...fixtureDecision('d4', 'MRN-2', 'accept'), stage: 'second' as const, reviewer: second },
      ...(adjudicated
        ? [
            {
              ...fixtureDecision('d5', 'MRN-1', 'accept'),
              stage: 'adjudication' as const,
              reviewer: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
            },
          ]
        : []),
    ].map((d) => ({ ...d, planHash: review.plan.hash }));
    const dual = { ...review, dualReview: true, decisions };
    const input = { projectName: 'P', plan, review: dual, entries: [], generatedAt: '2025-03-04T18:00:00Z' };
    return { page: signoffReportHtml(input), file: signoffReportFile(input), plan, review: dual };
  };
  const text = (page: string) => page.replace(/<[^>]+>/g, ' ');

  it.each([
    {
      adjudicated: false,
      says: [
        '1 record is not yet adjudicated',
        'each counts at its worst',
        '1 of the errors is such a record, 1 of them critical',
        '1 (1 not yet adjudicated, at worst)',
        '50 % at worst (0 % if adjudicated as correct)',
      ],
      verdict: {
        reviewed: 2,
        errors: 1,
        critical: 1,
        awaitingAdjudication: 1,
        awaitingErrors: 1,
        awaitingCritical: 1,
      },
      stratum: { observedRate: 0.5, observedRateIfCleared: 0, pass: false },
    },
    {
      adjudicated: true,
      says: [],
      verdict: {
        reviewed: 2,
        errors: 0,
        critical: 0,
        awaitingAdjudication: 0,
        awaitingErrors: 0,
        awaitingCritical: 0,
      },
      stratum: { observedRate: 0, observedRateIfCleared: 0 },
    },
  ])(
    'adjudicated: $adjudicated — the page and the JSON say how many, and count them at worst',
    ({ adjudicated, says, verdict, stratum }) => {
      const { page, file } = made(adjudicated);
      for (const t of says) expect(text(page)).toContain(t);
      expect(page.includes('data-awaiting-adjudication')).toBe(!adjudicated);
      expect(file.verdict).toMatchObject({ ...verdict, confidence: 0.95 });
      expect(file.verdict?.strata[0]).toMatchObject(stratum);
      const loaded = loadSignoffReport(JSON.parse(JSON.stringify(file)));
      expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    },
  );

  it.each([false, true])(
    'the FHIR Bundle’s stratum result says so while awaiting (adjudicated: %s)',
    (adjudicated) => {
      const { plan, review } = made(adjudicated);
      const result = signoffBundle({ plan, review, now: '2025-03-04T18:00:00Z' }).entry.find(
        (e) => e.resource.resourceType === 'VerificationResult',
      );
      const process = JSON.stringify(result?.resource.validationProcess);
      expect(process).toContain(adjudicated ? '0 with errors' : '1 with errors');
      expect(
        process.includes('1 not yet adjudicated, counted at their worst until an adjudicator decides'),
      ).toBe(!adjudicated);
    },
  );

  it('a report file without a verdict (made before it was included) still loads', () => {
    const { verdict: _verdict, ...older } = made(false).file;
    expect(loadSignoffReport(older).ok).toBe(true);
  });

  it('a verdict whose counts are not whole numbers is refused at its path', () => {
    const file = structuredClone(made(false).file);
    if (file.verdict) file.verdict.awaitingErrors = 0.5;
    const loaded = loadSignoffReport(file);
    expect(loaded.ok ? [] : loaded.problems.map((p) => p.path)).toEqual(['/verdict/awaitingErrors']);
  });
});
