/**
 * Each kind of audit entry a project's log holds, in the words the lead reads: a table of
 * `{ description, input, expected }`, one row per kind the server writes about a project, and one
 * for a kind this version of the app does not know (said by its name, never dropped).
 */
import { describe, expect, it } from 'vitest';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import { auditTime, auditWords } from './ProjectAuditLog.tsx';

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
    description: 'a kind this app does not know',
    input: entry('sampled-record-read', {}),
    expected: 'Recorded “sampled-record-read”',
  },
];

describe('an audit entry in words', () => {
  it.each(CASES)('$description', ({ input, expected }) => {
    expect(auditWords(input, nameOf)).toBe(expected);
  });

  it('gives the time to the minute with its zone', () => {
    expect(auditTime('2026-11-25T09:05:59.999Z')).toBe('2026-11-25 09:05 UTC');
  });
});
