/**
 * Each kind of audit entry a project's log holds, in the words the lead reads: a table of
 * `{ description, input, expected }`, one row per kind the server writes about a project, and one
 * for a kind this version of the app does not know (said by its name, never dropped). And the
 * time-stamp on the log's signed head as the screen says it, checked by this browser's witness
 * with the CLI's core against tokens of OpenSSL's own authority (tests/setup/openSslTsa.ts), and
 * the lead accepting a renewed authority in place of the one this browser kept.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render, screen, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORITY_FILES, makeTestAuthority, stampDigest } from '../../../tests/setup/openSslTsa.ts';
import { AUDIT_KIND_LABELS, AUDIT_KINDS } from '../../core/teamApi/index.ts';
import { certificatesOfPem, treeHeadStampDigest } from '../../core/timeStamp/index.ts';
import type { ExportedTreeHead, ServerAuditRecord } from '../../formats/projectAudit.ts';
import { createLogWitnessStore, type LogWitnessStore } from '../../storage/logWitnessStore.ts';
import { acceptStampAuthority, witnessHeadStamp } from './logWitness.ts';
import { auditTime, auditWords, ProjectAuditLog } from './ProjectAuditLog.tsx';
import { TeamClient, type TeamMember } from './teamClient.ts';
import { fakeTeamServer } from './testing/fakeTeamServer.ts';

const entry = (kind: string, detail: Record<string, string>): ServerAuditRecord => ({
  seq: 1,
  at: '2026-11-25T10:00:00.000Z',
  kind,
  actor: { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead' },
  detail: { project: 'p1', ...detail },
  prevHash: 'x',
  hash: 'y',
});
const NAMES: Record<string, string> = { rita: 'Rita Reviewer' };
const nameOf = (subject: string | undefined) =>
  subject === undefined ? 'someone' : (NAMES[subject] ?? subject);

const CASES: { description: string; input: ServerAuditRecord; expected: string }[] = [
  {
    description: 'project created',
    input: entry('project-created', { name: 'Ward 4' }),
    expected: 'Created the project “Ward 4”',
  },
  {
    description: 'project renamed',
    input: entry('project-renamed', { name: 'Ward 4 and 5', previousName: 'Ward 4' }),
    expected: 'Renamed the project from “Ward 4” to “Ward 4 and 5”',
  },
  {
    description: 'member added, named in the entry',
    input: entry('member-added', {
      subject: 'x1',
      memberName: 'Ana Lyst',
      role: 'analyst',
      expiresOn: '2027-01-31',
    }),
    expected: 'Added Ana Lyst as Analyst, access ending 2027-01-31',
  },
  {
    description: 'member added by an older server: named from the roster',
    input: entry('member-added', { subject: 'rita', role: 'reviewer', expiresOn: 'none' }),
    expected: 'Added Rita Reviewer as Clinician reviewer, no end date',
  },
  {
    description: 'member changed: role and end date',
    input: entry('member-changed', {
      subject: 'rita',
      role: 'data',
      previousRole: 'reviewer',
      expiresOn: '2027-01-31',
      previousExpiresOn: 'none',
    }),
    expected:
      'Changed Rita Reviewer’s access: role Clinician reviewer → Data team; no end date → access ending 2027-01-31',
  },
  {
    description: 'member removed, unknown to the roster and the log',
    input: entry('member-removed', { subject: 'ghost-42', role: 'viewer' }),
    expected: 'Removed ghost-42 (Viewer) from the project',
  },
  {
    description: 'log read',
    input: entry('audit-exported', {}),
    expected: 'Read or downloaded this audit log',
  },
  {
    description: 'workflow shared',
    input: entry('workflow-shared', { workflow: 'w1', name: 'Check-in' }),
    expected: 'Shared the workflow “Check-in” with the team',
  },
  {
    description: 'workflow version named',
    input: entry('workflow-version-named', {
      workflow: 'w1',
      version: 'v1',
      name: 'Before pilot',
      head: '3',
    }),
    expected: 'Named a workflow version “Before pilot”',
  },
  {
    description: 'workflow restored',
    input: entry('workflow-restored', { workflow: 'w1', version: 'v1', name: 'Before pilot', head: '9' }),
    expected: 'Restored a workflow to its version “Before pilot”',
  },
  {
    description: 'signing key registered',
    input: entry('signing-key-registered', { key: 'k1', subject: 'lena' }),
    expected: 'Registered a signing key',
  },
  {
    description: 'signing key refused',
    input: entry('signing-key-refused', { subject: 'lena', reason: 'registered to another person' }),
    expected: 'Was refused a signing key: registered to another person',
  },
  {
    description: 'signing key confirmed',
    input: entry('signing-key-confirmed', { key: 'k1', subject: 'rita' }),
    expected: 'Confirmed Rita Reviewer’s signing key',
  },
  {
    description: 'signing key revoked',
    input: entry('signing-key-revoked', { key: 'k1', subject: 'rita', reason: 'key lost' }),
    expected: 'Revoked Rita Reviewer’s signing key: key lost',
  },
  {
    description: 'signing idle time changed',
    input: entry('signing-settings-changed', { idleMinutes: '30', previousIdleMinutes: '15' }),
    expected: 'Set signing to ask for a fresh sign-in after 30 minutes without signing (was 15)',
  },
  {
    description: 'signature',
    input: entry('signature', { role: 'reviewer', kind: 'review', meaning: 'reviewed and approved' }),
    expected: 'Signed “reviewed and approved” as Clinician reviewer',
  },
  {
    description: 'a refused confirmation of one’s own key',
    input: entry('signing-key-confirm-refused', {
      subject: 'lena',
      reason: 'a key’s owner does not confirm it',
    }),
    expected: 'Was refused confirming lena’s signing key: a key’s owner does not confirm it',
  },
  {
    description: 'a refused signature with another person’s key',
    input: entry('signature-refused', {
      role: 'lead',
      kind: 'approval',
      meaning: 'I approve',
      keyOwner: 'rita',
      reason: 'signed with a key registered to another person',
    }),
    expected:
      'Was refused a signature “I approve” as Lead: signed with a key registered to another person (Rita Reviewer’s key)',
  },
  {
    description: 'an attempt refused, with the words the person was told',
    input: entry('attempt-refused', {
      about: 'role',
      reason: 'not-allowed',
      words: 'your role on this project (reviewer) cannot change members: ask the project’s lead',
    }),
    expected:
      'Was refused a change to the roster: your role on this project (reviewer) cannot change members: ask the project’s lead',
  },
  {
    description: 'a refused attempt repeated, counted into one entry',
    input: entry('refusal-repeated', { first: '12', repeats: '149', since: '2026-11-25T09:58:00.000Z' }),
    expected:
      'Repeated the refused attempt of entry 12 149 more times (counted, not listed) since 2026-11-25 09:58 UTC',
  },
  {
    description: 'a person’s refused attempts past the limit',
    input: entry('refusals-limited', { limit: '10', windowMinutes: '10' }),
    expected:
      'Was refused more than 10 different attempts within 10 minutes: the further ones are counted, not listed',
  },
  {
    description: 'a kind with no words of its own: its label, never its code',
    input: entry('review-decision', {}),
    expected: 'Review decision recorded',
  },
  {
    description: 'a kind this app does not know',
    input: entry('sampled-record-glanced', {}),
    expected: 'An entry this version of Preflight does not know (“sampled-record-glanced”)',
  },
];

describe('every kind of audit entry reads in words', () => {
  it.each([...AUDIT_KINDS])('%s: a label of its own, never its code', (kind) => {
    const label = AUDIT_KIND_LABELS[kind];
    expect(label).toMatch(/^[A-Z].*\S$/);
    expect(label).not.toContain(kind);
    const words = auditWords(entry(kind, { subject: 'rita', role: 'reviewer', name: 'Go-live' }), nameOf);
    expect(words).not.toContain(kind);
    expect(words).not.toMatch(/does not know/);
  });

  it('no two kinds share a label', () => {
    expect(new Set(Object.values(AUDIT_KIND_LABELS)).size).toBe(AUDIT_KINDS.length);
  });
});

describe('an audit entry in words', () => {
  it.each(CASES)('$description', ({ input, expected }) => {
    expect(auditWords(input, nameOf)).toBe(expected);
  });

  it('gives the time to the minute with its zone', () => {
    expect(auditTime('2026-11-25T09:05:59.999Z')).toBe('2026-11-25 09:05 UTC');
  });
});

describe('the time-stamp on the log’s signed head', () => {
  const userEvent = userEventBase.setup({ delay: null });
  const head = (size: number): ExportedTreeHead => ({
    project: 'p1',
    size,
    rootHash: String(size).padStart(2, '0').repeat(32),
    timestamp: '2026-11-25T10:00:00.000Z',
    keyId: 'cd'.repeat(8),
    signature: 'ef'.repeat(64),
  });
  let dir: string;
  /** heads over 3 and 4 entries, each with the authority's stamp over it */
  let three: ExportedTreeHead;
  let four: ExportedTreeHead;
  /** the stranger's certificate, base64 DER: an authority this browser kept that is not the one stamping */
  let stranger: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-audit-stamp-'));
    await makeTestAuthority(dir);
    const stamp = async (h: ExportedTreeHead) => ({
      ...h,
      timeStamp: await stampDigest(dir, treeHeadStampDigest(h)),
    });
    three = await stamp(head(3));
    four = await stamp(head(4));
    const [other] = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.other), 'utf8'));
    stranger = Buffer.from(other as Uint8Array).toString('base64');
  }, 30_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  let stores = 0;
  /** this browser's witness store (fake-indexeddb), holding the project's head seen at its last sync */
  async function witnessStore(stampAuthority?: string): Promise<LogWitnessStore> {
    const store = createLogWitnessStore(`witness-${++stores}`);
    await store.put({
      teamProjectId: 'p1',
      head: head(2),
      publicKey: 'ab'.repeat(32),
      ...(stampAuthority && { stampAuthority }),
    });
    return store;
  }
  const keptAuthority = async (store: LogWitnessStore) => (await store.get('p1'))?.stampAuthority;

  /** the lead opens the audit log; the server's file carries `treeHead` */
  async function showLog(treeHead: ExportedTreeHead, store: LogWitnessStore) {
    const file = {
      format: 'preflight.project-audit/v1',
      project: 'p1',
      entries: [entry('project-created', { name: 'Ward 4' })],
      treeHead,
    };
    const server = fakeTeamServer({ 'GET /api/projects/p1/audit': [200, file] });
    const view = render(
      <ProjectAuditLog
        client={new TeamClient('csrf-1', () => {}, server.fetchImpl)}
        projectId="p1"
        projectName="Ward 4"
        members={[]}
        stampOf={(h) => witnessHeadStamp(store, 'p1', h)}
        acceptAuthority={(certificate) =>
          acceptStampAuthority(store, 'p1', certificate, () => '2026-11-26T08:00:00.000Z')
        }
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Show audit log' }));
    await screen.findByRole('table', { name: 'Audit log entries' });
    return view;
  }

  it('says by whom and when, and keeps that authority as the one this browser trusts', async () => {
    const store = await witnessStore();
    const view = await showLog(three, store);
    expect(
      await screen.findByText(
        /^Time-stamped by Clinic Test TSA at \d{4}-\d\d-\d\d \d\d:\d\d UTC: an outside authority signed that the server’s head over these 3 entries existed then\.$/,
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    const [tsa] = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.tsa), 'utf8'));
    expect(await keptAuthority(store)).toBe(Buffer.from(tsa as Uint8Array).toString('base64'));
    // the witnessed head is the sync's: keeping the authority leaves it as it was
    expect((await store.get('p1'))?.head).toEqual(head(2));
    view.unmount();
    // the next reading's head is stamped by the same authority: no warning
    await showLog(four, store);
    expect(
      await screen.findByText(/^Time-stamped by Clinic Test TSA at .* these 4 entries existed then\.$/),
    ).toBeTruthy();
  });

  it.each([
    {
      description: 'a stamp of another head',
      treeHead: () => ({ ...four, timeStamp: three.timeStamp }),
      kept: () => undefined,
      expected:
        /^The time-stamp the server sent with its signed head over these 4 entries is for another head, so it does not date this log\. The entries themselves are proved .* Tell the clinic’s administrator, and keep this audit log’s download as evidence\.$/,
    },
    {
      description: 'a stamp whose signature was altered',
      treeHead: () => {
        const bytes = Buffer.from(four.timeStamp as string, 'base64');
        bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
        return { ...four, timeStamp: bytes.toString('base64') };
      },
      kept: () => undefined,
      expected:
        /^The time-stamp the server sent with its signed head over these 4 entries does not verify: its signature fails/,
    },
    {
      description: 'a stamp by another authority than the one this browser kept',
      treeHead: () => four,
      kept: () => stranger,
      expected:
        /^Time-stamped by Clinic Test TSA at .* — not by Someone Else, which stamped this project’s heads before in this browser\. If the clinic did not change its time-stamp authority/,
    },
  ])(
    'warns of $description, in words the lead takes to the administrator',
    async ({ treeHead, kept, expected }) => {
      const store = await witnessStore(kept());
      await showLog(treeHead(), store);
      expect((await screen.findByRole('alert')).textContent).toMatch(expected);
      // a stamp that failed is not the authority to trust from now on
      expect(await keptAuthority(store)).toBe(kept());
    },
  );

  it('lets the lead accept a renewed authority: recorded in this browser, trusted from then on', async () => {
    const store = await witnessStore(stranger);
    await showLog(four, store);
    expect((await screen.findByRole('alert')).textContent).toMatch(/— not by Someone Else/);
    await userEvent.click(screen.getByRole('button', { name: 'Accept the new authority' }));
    expect(
      await screen.findByText(/^Time-stamped by Clinic Test TSA at .* these 4 entries existed then\.$/),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Accept the new authority' })).toBeNull();
    const [tsa] = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.tsa), 'utf8'));
    const certificate = Buffer.from(tsa as Uint8Array).toString('base64');
    expect(await store.get('p1')).toMatchObject({
      head: head(2),
      stampAuthority: certificate,
      acceptedStampAuthorities: [{ certificate, replaced: stranger, acceptedAt: '2026-11-26T08:00:00.000Z' }],
    });
  });

  it('offers no acceptance for a stamp that fails', async () => {
    const store = await witnessStore(stranger);
    await showLog({ ...four, timeStamp: three.timeStamp }, store);
    await screen.findByRole('alert');
    expect(screen.queryByRole('button', { name: 'Accept the new authority' })).toBeNull();
  });

  it('says nothing of an unstamped head when this project’s heads were never stamped', async () => {
    await showLog(head(3), await witnessStore());
    expect(screen.queryByText(/time-stamp/i)).toBeNull();
  });

  it('warns when the very head this browser kept stamped comes without its stamp', async () => {
    const store = createLogWitnessStore(`witness-${++stores}`);
    await store.put({ teamProjectId: 'p1', head: three, publicKey: 'ab'.repeat(32) });
    await showLog(head(3), store);
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^Time-stamp taken off: this browser saw the server’s very same head over these 3 entries time-stamped by Clinic Test TSA at \d{4}-\d\d-\d\d \d\d:\d\d UTC, and the server now sends it without the stamp\. .* Tell the clinic’s administrator/,
    );
  });

  it('says an unstamped head is not stamped when the project’s heads were before, as a note', async () => {
    await showLog(head(3), await witnessStore(stranger));
    expect(
      await screen.findByText(
        'Not time-stamped: the server had no stamp from a time-stamp authority when it signed its head over these 3 entries, though this project’s heads were stamped before (the authority did not answer, or the server no longer asks one). The next stamped head dates these entries too.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the lead’s filters of the audit log', () => {
  const userEvent = userEventBase.setup({ delay: null });
  it('asks the server for one kind, one person and one record, says how many of the log match, and downloads the whole log', async () => {
    const refused = (seq: number, record: string) => ({
      ...entry('attempt-refused', {
        about: 'decision',
        reason: 'not-allowed',
        record,
        words: 'a decision is recorded under the name of the person signed in who made it',
      }),
      seq,
      actor: { issuer: 'https://id.clinic.test', subject: 'rita', name: 'Rita Reviewer' },
    });
    const whole = {
      format: 'preflight.project-audit/v1',
      project: 'p1',
      entries: [entry('project-created', { name: 'Ward 4' })],
    };
    const server = fakeTeamServer({
      'GET /api/projects/p1/audit': [200, whole],
      'GET /api/projects/p1/audit?kind=attempt-refused&person=rita&record=3': [
        200,
        {
          format: 'preflight.project-audit/v1',
          project: 'p1',
          entries: [refused(7, '3'), refused(9, '3')],
          filter: { kind: 'attempt-refused', person: 'rita', record: '3', total: 164 },
        },
      ],
    });
    render(
      <ProjectAuditLog
        client={new TeamClient('csrf-1', () => {}, server.fetchImpl)}
        projectId="p1"
        projectName="Ward 4"
        members={[{ id: 'm2', subject: 'rita', name: 'Rita Reviewer', role: 'reviewer' } as TeamMember]}
      />,
    );
    const kinds = screen.getByRole('combobox', { name: 'Kind' });
    const people = screen.getByRole('combobox', { name: 'Person' });
    // each option is named in words (its label), by the kind's label and the person's name
    expect(kinds.querySelector('option[value="attempt-refused"]')?.getAttribute('label')).toBe(
      'Attempt refused',
    );
    expect(people.querySelector('option[value="rita"]')?.getAttribute('label')).toBe('Rita Reviewer');
    await userEvent.selectOptions(kinds, 'attempt-refused');
    await userEvent.selectOptions(people, 'rita');
    await userEvent.type(screen.getByRole('textbox', { name: /^Record/ }), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Show audit log' }));
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    expect(table.querySelector('caption')?.textContent).toBe(
      '2 of the log’s 164 entries match, newest first.',
    );
    expect(
      screen.getAllByText(/^Was refused a review decision: a decision is recorded under the name/),
    ).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Download audit log' }));
    expect(server.calls.map((c) => c.path)).toEqual([
      '/api/projects/p1/audit?kind=attempt-refused&person=rita&record=3',
      '/api/projects/p1/audit',
    ]);
  });
});

describe('the audit log on a phone', () => {
  it('labels each cell with its column, to read as one card per entry on a narrow screen', async () => {
    const server = fakeTeamServer({
      'GET /api/projects/p1/audit': [
        200,
        {
          format: 'preflight.project-audit/v1',
          project: 'p1',
          entries: [entry('project-created', { name: 'Ward 4' }), { ...entry('audit-exported', {}), seq: 2 }],
        },
      ],
    });
    render(
      <ProjectAuditLog
        client={new TeamClient('csrf-1', () => {}, server.fetchImpl)}
        projectId="p1"
        projectName="Ward 4"
        members={[]}
      />,
    );
    await userEventBase.setup({ delay: null }).click(screen.getByRole('button', { name: 'Show audit log' }));
    const table = await screen.findByRole('table', { name: 'Audit log entries' });
    expect(table.classList.contains('stacked-table')).toBe(true);
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['No.', 'When', 'Who', 'What happened']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect([...row.querySelectorAll('td')].map((c) => c.dataset.label)).toEqual(headers);
  });
});
