import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile } from './project.ts';
import type { Roster } from './roster.ts';
import * as fixtures from './testing/fixtures.ts';

const B64 = 'AAECAwQFBgcICQoLDA0ODw';
const jwk = { kty: 'EC', crv: 'P-256', x: B64, y: B64 } as const;
const roster: Roster = {
  changes: [
    {
      id: 'r1',
      at: '2025-03-01T08:00:00Z',
      by: 'CL-7',
      kind: 'member',
      member: { staffId: 'CL-7', name: 'Sam Okafor', title: 'Clinical lead', roles: ['lead', 'approver'] },
    },
    {
      id: 'r2',
      at: '2025-03-01T08:01:00Z',
      by: 'CL-7',
      kind: 'key-bound',
      staffId: 'CL-7',
      credential: { id: B64, algorithm: -7, publicKeyJwk: jwk },
      confirmation: {
        leadId: 'CL-7',
        assertion: {
          method: 'webauthn',
          credentialId: B64,
          algorithm: -7,
          publicKeyJwk: jwk,
          authenticatorData: B64,
          clientDataJSON: B64,
          signature: B64,
        },
      },
    },
    {
      id: 'r3',
      at: '2025-03-01T08:02:00Z',
      by: 'CL-7',
      kind: 'key-revoked',
      staffId: 'CL-7',
      credentialId: B64,
      reason: 'Security key lost',
    },
  ],
};

/** `value` without its `key` (canonical JSON refuses an undefined member, so it is left out). */
function without(value: object, key: string): object {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
}

function fileWith(value: unknown) {
  const project = fixtures.fixtureProject();
  const file = createProjectFile(
    { ...project, meta: { ...project.meta, roster: value as Roster } },
    { now: '2025-03-02T12:00:00Z', appVersion: '1' },
  );
  return JSON.parse(JSON.stringify(file));
}

describe('the roster in a project file', () => {
  it('travels in meta.roster and loads back unchanged', () => {
    const loaded = loadProjectFile(fileWith(roster));
    expect(loaded.ok && loaded.value.project.meta.roster).toEqual(roster);
  });

  const broken: { description: string; edit: (r: Roster) => unknown; path: string }[] = [
    {
      description: 'a key binding without the lead’s confirmation',
      edit: (r) => ({
        changes: r.changes.map((c) => (c.id === 'r2' ? without(c, 'confirmation') : c)),
      }),
      path: '/project/meta/roster/changes/1/confirmation',
    },
    {
      description: 'a role that does not exist',
      edit: (r) => ({
        changes: r.changes.map((c) =>
          c.kind === 'member' ? { ...c, member: { ...c.member, roles: ['lead', 'owner'] } } : c,
        ),
      }),
      path: '/project/meta/roster/changes/0/member/roles/1',
    },
    {
      description: 'a revocation without a reason',
      edit: (r) => ({ changes: r.changes.map((c) => (c.id === 'r3' ? without(c, 'reason') : c)) }),
      path: '/project/meta/roster/changes/2/reason',
    },
  ];
  it.each(broken)('refuses $description, at its path', ({ edit, path }) => {
    const loaded = loadProjectFile(JSON.parse(JSON.stringify(fileWith(edit(roster)))));
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.problems.map((p) => p.path)).toContain(path);
  });
});
