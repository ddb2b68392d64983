/**
 * The printed evidence pack carries the steering decision's manifestation: its rationale and, per
 * signature, the printed name, role, date-time with zone, meaning word for word and whether it
 * verifies — not only names and dates. Until a current decision is signed, it ends its summary with a signature block
 * for the meeting; it names each SAFER guide with its state. It opens with the path to go, gives
 * each blocking reason its owner and due day, flags a go-live day past or too close, and prints
 * the rollback triggers and the runbook as a step table. It prints the same blocks, in the same
 * words, as the CLI's PDF of the same pack.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  assessReadiness,
  evidencePack,
  packDocument,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  type TeamSample,
} from '../../core/readiness/index.ts';
import { decidedProject, goProject, report, signedReview } from '../../core/readiness/testing/crafted.ts';
import { sampleResult } from '../../core/signoff/signing/index.ts';
import { parseProjectFile } from '../../formats/project.ts';
import { withSteeringMeeting } from '../../formats/steeringMeeting.ts';
import { EvidencePackView } from './EvidencePackView.tsx';
import { PACK_BLOCK_ATTRIBUTE } from './PackBlocks.tsx';

const DEMO_FILE = path.resolve('samples/projects/demo-clinic.preflight.json');

describe('EvidencePackView: the steering decision as signed', () => {
  it('prints the rationale and each signature with its meaning and date-time with zone', () => {
    const { project } = decidedProject(goProject());
    render(
      <EvidencePackView
        pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00+01:00')}
      />,
    );
    expect(screen.getByTestId('pack-rationale').textContent).toBe(
      'Rationale: Every gate passes; the support rota is agreed.',
    );
    const rows = within(screen.getByRole('table', { name: 'Steering decision signatures' })).getAllByRole(
      'row',
    );
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Signed by', 'Role', 'Signed', 'Meaning', 'Verification'],
      [
        'Dr Ines Moreau (MD-1)',
        'Medical director',
        '2026-11-24 at 10:00 (UTC+01:00)',
        `“${STEERING_GO_MEANING}”`,
        'Not checked for this print; without re-authentication',
      ],
    ]);
  });

  it('says whether each signature verifies, as checked', () => {
    const { project } = decidedProject(goProject());
    render(
      <EvidencePackView
        pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00+01:00')}
        signatureChecks={[{ signatureId: 'sig-MD-1', ok: true, reauthentication: 'none' }]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Steering decision signatures' });
    expect(within(table).getAllByRole('row')[1]?.lastElementChild?.textContent).toBe(
      'Verifies; without re-authentication',
    );
  });

  it('prints the go/no-go signed on the team server: rationale, state and each manifestation', () => {
    const project = goProject();
    const result = assessReadiness(project);
    const pack = evidencePack(project, result, '2026-11-24T12:00:00Z', undefined, [
      {
        id: 'decision-1',
        decision: 'no-go',
        readiness: 'no-go',
        resultSha256: 'd'.repeat(64),
        rationale: 'The laboratory interface failed its test.',
        recordedAt: '2026-11-23T09:00:00+01:00',
        hash: 'c'.repeat(64),
        signatures: [
          {
            projectSeq: 12,
            signer: { subject: 'sam', name: 'Sam Steering' },
            role: 'steering',
            meaning: STEERING_NO_GO_MEANING,
            signedAt: '2026-11-23T08:05:00.000Z',
          },
        ],
      },
    ]);
    render(<EvidencePackView pack={pack} />);
    expect(screen.getByTestId('pack-server-steering').textContent).toContain(
      'No-go, decided 2026-11-23 at 09:00 (UTC+01:00) — STALE',
    );
    expect(screen.getByTestId('pack-server-rationale').textContent).toBe(
      'Rationale: The laboratory interface failed its test.',
    );
    const table = screen.getByRole('table', { name: 'Steering decision signed on the team server' });
    const signature = within(table).getAllByRole('row')[1];
    expect(signature?.textContent).toContain(
      `Sam Steeringsteering committee2026-11-23 at 08:05 (UTC)“${STEERING_NO_GO_MEANING}”`,
    );
    expect(signature?.textContent).toContain('(entry 12 of the project’s log)');
  });

  it('prints no blank signature block once a current decision is signed', () => {
    const { project } = decidedProject(goProject());
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    expect(screen.queryByTestId('pack-sign-block')).toBeNull();
  });
});

describe('EvidencePackView: the meeting pack', () => {
  const project = goProject();
  const pack = () => evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z');

  it('ends the summary with a signature block: the decision, the rationale, each meaning and blank rows', () => {
    render(<EvidencePackView pack={pack()} />);
    const block = screen.getByTestId('pack-sign-block');
    within(block).getByRole('heading', { name: 'Decision of the steering committee' });
    expect(block.textContent).toContain('Go live');
    expect(block.textContent).toContain('Do not go live yet');
    expect(block.textContent).toContain(`For go: “${STEERING_GO_MEANING}”`);
    expect(block.textContent).toContain(`For no-go: “${STEERING_NO_GO_MEANING}”`);
    const table = within(block).getByRole('table', { name: 'Signatures' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Printed name', 'Role', 'Date and time (with zone)', 'Signature']);
    // no approver on the roster: three blank rows to write in
    expect(within(table).getAllByRole('row')).toHaveLength(4);
  });

  it('names the roster approvers in the signature block', () => {
    const named = { ...pack(), deciders: [{ name: 'Dr Ines Moreau', title: 'Medical director' }] };
    render(<EvidencePackView pack={named} />);
    const rows = within(screen.getByRole('table', { name: 'Signatures' })).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Printed nameRoleDate and time (with zone)Signature',
      'Dr Ines MoreauMedical director',
    ]);
  });

  it('names each SAFER guide with its state before the practices', () => {
    render(<EvidencePackView pack={pack()} />);
    const guides = within(screen.getByRole('list', { name: 'SAFER guides' })).getAllByRole('listitem');
    expect(guides).toHaveLength(8);
    expect(guides[0]?.textContent).toMatch(/^High Priority Practices: meets its gate \(/);
  });
});

describe('EvidencePackView: a pack the go/no-go meeting runs on', () => {
  // one extract under its gate: one blocking reason, one action to clear it
  const project = { ...goProject(), reports: [report(980)] };
  const made = (at: string) => evidencePack(project, assessReadiness(project), at);

  it('opens with the path to go and gives each blocking reason its owner and due day', () => {
    render(<EvidencePackView pack={made('2026-11-24T12:00:00Z')} />);
    // the path to go and the reasons are tables, as the CLI's PDF prints them
    const cells = (name: string) =>
      within(screen.getByRole('table', { name }))
        .getAllByRole('row')
        .slice(1)
        .map((r) => [...r.children].map((c) => c.textContent));
    expect(screen.getByTestId('pack-path-to-go')).toBe(
      screen.getByRole('table', {
        name: 'The fewest actions that clear every blocking reason, highest risk first',
      }),
    );
    expect(cells('The fewest actions that clear every blocking reason, highest risk first')).toEqual([
      [
        expect.stringMatching(/^Fix patients\.csv /),
        'valid records in each extract',
        'Data lead',
        '2026-11-27',
      ],
    ]);
    expect(cells('Blocking reasons')).toEqual([[expect.any(String), 'Data lead', '2026-11-27']]);
    expect(screen.getByTestId('pack-go-live-day').textContent).toBe(
      'Go-live day: 2026-12-01 (7 days from 2026-11-24).',
    );
    expect(screen.getByTestId('pack-go-live-day').className).not.toContain('pack-flag');
  });

  it('prints the rollback triggers and the runbook as a step table', () => {
    render(<EvidencePackView pack={made('2026-11-24T12:00:00Z')} />);
    expect(screen.getByTestId('pack-cutover').textContent).toBe('Rollback triggers');
    expect(screen.getByTestId('pack-rollback-triggers').textContent).toBe(
      'Check-in down for more than 30 minutes, or results not reaching clinicians Who decides to roll back: Clinical lead on call.',
    );
    const rows = within(screen.getByRole('table', { name: 'Cutover runbook' })).getAllByRole('row');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Step', 'Owner', 'Start', 'Duration', 'Waits for', 'Status'],
      ['Freeze the old system', 'Ana Ruiz', '2026-11-27 18:00', '1 h', '—', 'planned'],
      ['Final extract', 'Data lead', '2026-11-27 19:00', '13 h', 'Freeze the old system', 'planned'],
      ['Delta load', 'Data lead', '2026-11-28 08:00', '4 h', 'Final extract', 'planned'],
      ['Reconciliation sign-off', 'Sam Okafor', '2026-11-28 12:00', '52 h', 'Delta load', 'planned'],
      ['Final go/no-go', 'Rae Lindqvist', '2026-11-30 16:00', '—', 'Reconciliation sign-off', 'planned'],
    ]);
  });

  it('flags a go-live day already past when the pack is made', () => {
    render(<EvidencePackView pack={made('2026-12-05T09:00:00Z')} />);
    const day = screen.getByTestId('pack-go-live-day');
    expect(day.textContent).toBe(
      'GO-LIVE DAY 2026-12-01 IS IN THE PAST (4 days before 2026-12-05): set the day the clinic will go live.',
    );
    expect(day.className).toContain('pack-flag');
  });

  it('a pack made before the meeting part prints none of it', () => {
    const { meeting: _m, pathToGo: _p, ...older } = made('2026-11-24T12:00:00Z');
    render(<EvidencePackView pack={older} />);
    expect(screen.queryByTestId('pack-path-to-go')).toBeNull();
    expect(screen.queryByTestId('pack-cutover')).toBeNull();
    expect(screen.queryByTestId('pack-go-live-day')).toBeNull();
  });
});

describe('EvidencePackView: the meeting on page 1', () => {
  it('prints who attended, flags a meeting without quorum on the board and page 1, and lists the conditions for go', () => {
    const go = goProject();
    const project = {
      ...go,
      meta: {
        ...go.meta,
        settings: withSteeringMeeting(go.meta.settings, {
          attendees: [{ name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true }],
          quorum: { minSteering: 2 },
          conditions: [{ text: 'Pharmacy list rechecked', owner: 'Lee Park', due: '2026-12-03' }],
        }),
      },
    };
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    screen.getByRole('heading', { level: 3, name: 'Attendees and quorum' });
    expect(screen.getByRole('list', { name: 'Attendees' }).textContent).toBe(
      'Dr Ada Osei (CMIO), steering member — attended',
    );
    expect(screen.getByTestId('pack-quorum').textContent).toMatch(
      /^QUORUM NOT MET: 1 of the 2 steering members/,
    );
    expect(screen.getByTestId('pack-board-quorum').textContent).toMatch(/^QUORUM NOT MET/);
    const row = within(screen.getByRole('table', { name: 'Conditions for go' })).getAllByRole('row')[1];
    expect(row?.textContent).toBe('Pharmacy list rechecked' + 'Lee Park' + '2026-12-03');
  });
});

describe('EvidencePackView: the same words as the PDF', () => {
  it('prints the demo pack block for block as the CLI writes it to PDF', () => {
    const parsed = parseProjectFile(readFileSync(DEMO_FILE, 'utf8'));
    if (!parsed.ok) throw new Error('the demo project file does not load');
    const demo = parsed.value.project;
    const pack = evidencePack(demo, assessReadiness(demo), '2026-11-24T12:00:00Z');
    render(<EvidencePackView pack={pack} />);
    const printed = [...document.querySelectorAll(`[${PACK_BLOCK_ATTRIBUTE}]`)].map((el) => {
      const text = (e: Element) => e.textContent ?? '';
      if (el.tagName === 'UL') return [...el.children].map(text);
      if (el.tagName === 'TABLE')
        return [
          text(el.querySelector('caption') as Element),
          ...[...el.querySelectorAll('tr')].map((r) => [...r.children].map(text)),
        ];
      return text(el);
    });
    type Printed = string | (string | string[])[];
    const blocks = packDocument(pack).flatMap((b): Printed[] => {
      if (b.kind === 'page-break') return [];
      if (b.kind === 'list') return [b.items];
      if (b.kind === 'table') return [[b.caption, b.columns, ...b.rows]];
      return [b.text];
    });
    expect(blocks.length).toBeGreaterThan(20);
    expect(printed).toEqual(blocks);
  });
});

describe('EvidencePackView: page 1 of a shared project reads the team server’s record', () => {
  const serverDecision = {
    id: 'decision-1',
    decision: 'no-go' as const,
    readiness: 'no-go' as const,
    resultSha256: 'd'.repeat(64),
    rationale: 'Record 1 was adjudicated; the rest of the sample is still to review.',
    recordedAt: '2026-11-23T09:00:00+01:00',
    hash: 'c'.repeat(64),
    signatures: [
      {
        projectSeq: 41,
        signer: { subject: 'sana', name: 'Sana Yusuf' },
        role: 'steering',
        meaning: STEERING_NO_GO_MEANING,
        signedAt: '2026-11-23T08:05:00.000Z',
      },
      {
        projectSeq: 43,
        signer: { subject: 'omar', name: 'Omar Haddad' },
        role: 'steering',
        meaning: STEERING_NO_GO_MEANING,
        signedAt: '2026-11-23T08:07:00.000Z',
      },
    ],
  };

  it('counts and names the steering signatures made on the server, never “no decision” above them', () => {
    const project = goProject();
    // this browser's own log holds no steering signature: the committee signed on the server
    const chain = {
      state: 'intact' as const,
      entries: 3,
      head: 'e'.repeat(64),
      steeringSignatures: 0,
      unlogged: 0,
    };
    const pack = evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z', chain, [
      serverDecision,
    ]);
    render(<EvidencePackView pack={pack} shared />);
    const steering = screen.getByTestId('pack-steering').textContent ?? '';
    expect(steering).toMatch(
      /^Steering committee, signed on the team server: No-go, decided 2026-11-23 at 09:00 \(UTC\+01:00\), signed by Sana Yusuf \(steering committee\), Omar Haddad \(steering committee\) — STALE/,
    );
    expect(screen.getByTestId('pack-chain').textContent).toBe(
      `Audit log on the team server: 2 steering signatures recorded for its latest decision (entries 41 and 43 of the project’s log). This browser’s own log: 3 entries, chain intact; head ${'e'.repeat(64)}.`,
    );
    const page1 = screen.getByRole('article').textContent ?? '';
    expect(page1).not.toContain('no decision recorded');
    expect(page1).not.toContain('0 steering signatures');
    // the count is the table's: the same two signatures below
    const table = screen.getByRole('table', { name: 'Steering decision signed on the team server' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
  });

  it('with nothing signed on the server, says so of the server', () => {
    const project = goProject();
    render(
      <EvidencePackView
        pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z', undefined, [])}
        shared
      />,
    );
    expect(screen.getByTestId('pack-steering').textContent).toBe(
      'Steering committee: no decision signed on the team server.',
    );
    expect(screen.getByTestId('pack-chain').textContent).toBe(
      'Audit log on the team server: 0 steering signatures recorded.',
    );
  });
});

describe('EvidencePackView: page 1 names who signed the clinicians’ review', () => {
  const rows = (name: string) =>
    within(screen.getByRole('table', { name }))
      .getAllByRole('row')
      .map((r) => [...r.children].map((c) => c.textContent));

  it('each signer of a review kept here, with the role signed in', () => {
    const project = goProject();
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    expect(rows('Signatures on the clinicians’ review')).toEqual([
      ['Sample plan', 'Signed by', 'Role', 'Signed', 'Meaning'],
      [
        'Patients sign-off',
        'Sam Okafor',
        'Clinical lead',
        '2026-11-21 at 09:00 (UTC+01:00)',
        expect.stringMatching(/^“.+”$/),
      ],
    ]);
  });

  it('each signer on the team server’s review, with the team role; a sample nobody signed says so', () => {
    const { plan, review } = signedReview(['accept', 'accept', 'accept']);
    const signed: TeamSample = {
      result: sampleResult(review, plan),
      approvals: [],
      signers: [
        {
          name: 'Rosa Lind',
          role: 'reviewer',
          meaning: 'I reviewed these records',
          signedAt: '2026-11-22T10:00:00Z',
        },
        {
          name: 'Tomás Vidal',
          role: 'reviewer',
          meaning: 'I reviewed these records',
          signedAt: '2026-11-22T10:30:00Z',
        },
        {
          name: 'Lena Brandt',
          role: 'lead',
          meaning: 'I approve this sample',
          signedAt: '2026-11-22T11:00:00Z',
        },
      ],
    };
    const project = { ...goProject(), reviews: [] };
    const pack = evidencePack(
      project,
      assessReadiness(project, { teamSamples: [signed] }),
      '2026-11-24T12:00:00Z',
      undefined,
      [],
      {
        reportSummaries: [],
        teamSamples: [signed],
      },
    );
    const { unmount } = render(<EvidencePackView pack={pack} shared />);
    expect(rows('Signatures on the clinicians’ review').slice(1)).toEqual([
      [
        'Patients sign-off',
        'Rosa Lind',
        'clinician reviewer',
        '2026-11-22 at 10:00 (UTC)',
        '“I reviewed these records”',
      ],
      [
        'Patients sign-off',
        'Tomás Vidal',
        'clinician reviewer',
        '2026-11-22 at 10:30 (UTC)',
        '“I reviewed these records”',
      ],
      ['Patients sign-off', 'Lena Brandt', 'lead', '2026-11-22 at 11:00 (UTC)', '“I approve this sample”'],
    ]);
    unmount();
    const unsigned = evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z');
    render(<EvidencePackView pack={unsigned} />);
    expect(screen.getByText('“Patients sign-off”: no clinician has signed its review.')).toBeTruthy();
  });

  it('a sample drawn, reviewed and failed is told on page 1 to fix it and draw anew, not to draw', () => {
    const { plan, review } = signedReview(['accept', 'reject', 'accept']);
    const project = { ...goProject(), samplePlans: [plan], reviews: [review] };
    render(
      <EvidencePackView pack={evidencePack(project, assessReadiness(project), '2026-11-24T12:00:00Z')} />,
    );
    const actions = rows('The fewest actions that clear every blocking reason, highest risk first').map(
      (r) => r[0],
    );
    const signoff = actions.find((a) => a?.includes('“Patients sign-off”'));
    expect(signoff).toMatch(
      /^Find on the Sign-off screen what the clinicians marked wrong in “Patients sign-off”/,
    );
    expect(signoff).toContain('draw a new sample of “Patients sign-off” with a new seed');
    expect(actions.join('\n')).not.toContain('Draw, review and sign');
  });
});
