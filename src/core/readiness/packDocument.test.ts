/**
 * The printed pack's signature section and artefact tables come from the blocks, so the browser's
 * print and the CLI's PDF carry the same: each steering signature with who signed, role, when, the
 * meaning word for word and its verification state (never "verifies" unless it was checked and
 * did), the go/no-go signed on the team server with each entry of the project's log, and each
 * phase's artefacts with the SHA-256 of the version judged.
 */
import { describe, expect, it } from 'vitest';
import { withSteeringDecision } from '../../formats/steering.ts';
import { assessReadiness } from './assess.ts';
import { evidencePack } from './evidencePack.ts';
import { type PackBlock, packDocument } from './packDocument.ts';
import { STEERING_GO_MEANING, STEERING_NO_GO_MEANING, steeringDecisionChecks } from './steering.ts';
import { decidedProject, goProject } from './testing/crafted.ts';

const MADE = '2026-11-24T12:00:00Z';

/** The table of `blocks` with id `id`. */
function table(blocks: readonly PackBlock[], id: string) {
  const found = blocks.find((b) => b.kind === 'table' && b.id === id);
  if (found?.kind !== 'table') throw new Error(`no table ${id}`);
  return found;
}

describe('packDocument: the signatures as signed', () => {
  const { project, decision } = decidedProject(goProject());
  const pack = evidencePack(project, assessReadiness(project), MADE);
  const signer = 'Dr Ines Moreau (MD-1)';
  const row = (checks: Parameters<typeof packDocument>[1]) =>
    table(packDocument(pack, checks), 'signatures').rows;

  it.each([
    {
      description: 'checked, and it verifies',
      checks: { signatureChecks: [{ signatureId: 'sig-MD-1', ok: true, reauthentication: 'none' as const }] },
      state: 'Verifies; without re-authentication',
    },
    {
      description: 'checked, and it does not verify',
      checks: {
        signatureChecks: [
          {
            signatureId: 'sig-MD-1',
            ok: false,
            reauthentication: 'none' as const,
            message: 'its content or the decision it signs was changed after signing',
          },
        ],
      },
      state:
        'DOES NOT VERIFY: its content or the decision it signs was changed after signing; without re-authentication',
    },
    {
      description: 'not checked',
      checks: {},
      state: 'Not checked for this print; without re-authentication',
    },
  ])('prints who, role, when, the meaning and the state: $description', ({ checks, state }) => {
    expect(row(checks)).toEqual([
      [signer, 'Medical director', '2026-11-24 at 10:00 (UTC+01:00)', `“${STEERING_GO_MEANING}”`, state],
    ]);
  });

  it('says what the core checks of the signature find', async () => {
    const checks = await steeringDecisionChecks(decision, project.meta.roster);
    expect(row({ signatureChecks: checks })[0]?.[4]).toBe('Verifies; without re-authentication');
    // the rationale sits before the table, after the decision it explains
    const blocks = packDocument(pack);
    const at = (id: string) => blocks.findIndex((b) => 'id' in b && b.id === id);
    expect(blocks[at('rationale')]).toEqual({
      kind: 'paragraph',
      text: 'Rationale: Every gate passes; the support rota is agreed.',
      id: 'rationale',
    });
    expect([at('steering') < at('rationale'), at('rationale') < at('signatures')]).toEqual([true, true]);
  });

  it('a changed signature prints as not verifying', async () => {
    const signature = decision.signatures[0];
    if (!signature) throw new Error('no signature');
    const changed = { ...decision, signatures: [{ ...signature, meaning: 'I agree.' }] };
    const tampered = {
      ...project,
      meta: { ...project.meta, settings: withSteeringDecision(goProject().meta.settings, changed) },
    };
    const checks = await steeringDecisionChecks(changed, tampered.meta.roster);
    const blocks = packDocument(evidencePack(tampered, assessReadiness(tampered), MADE), {
      signatureChecks: checks,
    });
    expect(table(blocks, 'signatures').rows[0]?.[4]).toMatch(/^DOES NOT VERIFY: /);
  });

  it('prints the go/no-go signed on the team server: state, rationale and each entry of the log', () => {
    const go = goProject();
    const server = evidencePack(go, assessReadiness(go), MADE, undefined, [
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
    const blocks = packDocument(server);
    expect(blocks.find((b) => b.kind === 'paragraph' && b.id === 'server-steering')).toMatchObject({
      text: expect.stringContaining('No-go, decided 2026-11-23 at 09:00 (UTC+01:00) — STALE'),
      flag: true,
    });
    const [signed] = table(blocks, 'server-signatures').rows;
    expect(signed?.slice(0, 4)).toEqual([
      'Sam Steering',
      'steering committee',
      '2026-11-23 at 08:05 (UTC)',
      `“${STEERING_NO_GO_MEANING}”`,
    ]);
    expect(signed?.[4]).toMatch(
      /^Verified: .*verified by the team server \(entry 12 of the project’s log\)$/,
    );
    // no decision recorded in a browser: no table of its signatures
    expect(blocks.some((b) => b.kind === 'table' && b.id === 'signatures')).toBe(false);
  });
});

describe('packDocument: the artefacts judged', () => {
  it('gives each phase with artefacts a table of them, each with its SHA-256', () => {
    const project = goProject();
    const pack = evidencePack(project, assessReadiness(project), MADE);
    const blocks = packDocument(pack);
    for (const phase of pack.phases) {
      const artefacts = table(blocks, `artefacts-${phase.id}`);
      expect(artefacts.caption).toBe(`Artefacts judged (${phase.name})`);
      expect(artefacts.columns).toEqual(['Kind', 'Artefact', 'SHA-256']);
      expect(artefacts.rows.map((r) => r[2])).toEqual(phase.artefacts.map((a) => a.sha256));
      // after the phase's own heading, before the next
      const at = blocks.indexOf(artefacts);
      expect(blocks.findLastIndex((b, i) => i < at && b.kind === 'heading')).toBe(
        blocks.findIndex((b) => b.kind === 'heading' && b.id === phase.id),
      );
    }
    const rollback = table(blocks, 'artefacts-go-live').rows.find((r) => r[0] === 'Rollback plan');
    expect(rollback?.[1]).toMatch(/^Rollback\/downtime plan \(present/);
    expect(rollback?.[2]).toMatch(/^[0-9a-f]{64}$/);
  });
});
