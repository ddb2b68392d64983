import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { loadSignoffReport } from '../../formats/signoffReport.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { escapeHtml, restoreCsvCell } from '../validation/index.ts';
import { pendingAuditEntries } from './auditChain.ts';
import { resultsHash, verifySignature } from './signature.ts';
import {
  DECISIONS_CSV_COLUMNS,
  decisionsCsv,
  IDENTITY_NOTE,
  NO_ROSTER_NOTE,
  signoffReportFile,
  signoffReportHtml,
  staleSignaturesText,
  TAMPER_EVIDENCE_NOTE,
} from './signoffReport.ts';
import { rosteredExport } from './testing/rosterScenario.ts';
import {
  lockedReview,
  signedAgain,
  signedExport,
  signedThenDecided,
  softAuthenticator,
} from './testing/signedExport.ts';

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
    const block = html.slice(html.indexOf('<div class="signature">'), html.indexOf('<h2>Verdict'));
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
      .slice(html.indexOf('<div class="signature">'), html.indexOf('<h2>Verdict'))
      .split('<div class="signature">');
    // the first signature is replaced by the second: never told to sign again
    expect(blocks[1]).toContain('Replaced by a later signature (signed 2025-03-03 at 17:30 (UTC+01:00)).');
    expect(blocks[1]).not.toContain('sign again');
    expect(blocks[2]).not.toContain('Replaced by');
    expect(blocks[2]).toContain(stale ? 'sign again to cover it' : 'Covers every decision recorded so far.');
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
