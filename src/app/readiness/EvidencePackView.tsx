/**
 * The evidence pack as a printable page (docs/product.md#readiness): a one-page summary — status
 * per phase, the reasons that block, the outstanding risks with their owners, the committee's
 * decision and whether it is current, its rationale and signatures — then the evidence per phase
 * with the artefacts it was judged on and their hashes. Until a current decision is signed, the
 * summary ends with a signature block for the meeting: the decision to tick, room for the
 * rationale and, for each approver on the roster (or blank lines), name, role, date-time and
 * signature under the meaning each signature carries (21 CFR 11.50). Print to PDF from the
 * browser; the same pack downloads as JSON.
 * What the pack says is the core's `packDocument` blocks, the same the CLI prints as a PDF,
 * rendered by `PackBlocks` — the readiness board, the signatures as signed with whether each
 * verifies, and the artefacts judged with their hashes, among them; this view adds only what a
 * browser shows beyond them (the paper signature block). The print style sheet (readiness.css) prints
 * this page alone.
 */
import type { ReactNode } from 'react';
import {
  type EvidencePack,
  packDocument,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  type SteeringSignatureCheck,
} from '../../core/readiness/index.ts';
import { downloadText } from '../common/download.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { PackBlocks } from './PackBlocks.tsx';

/** Blank rows of the signature block when no approver is on the roster. */
const BLANK_SIGNERS = 3;

/**
 * The signature block a meeting signs on paper before the decision is recorded in Preflight: the
 * decision to tick, lines for the rationale, and a row per approver for name, role, date-time and
 * signature under the meaning each signature carries (the words the app shows when signing).
 */
function SignatureBlock({ pack }: { pack: EvidencePack }) {
  const named = pack.deciders ?? [];
  const rows: { name: string; title: string }[] =
    named.length > 0 ? named : Array.from({ length: BLANK_SIGNERS }, () => ({ name: '', title: '' }));
  return (
    <section className="pack-sign-block" aria-labelledby="pack-sign-title" data-testid="pack-sign-block">
      <h3 id="pack-sign-title">Decision of the steering committee</h3>
      <p className="pack-sign-choice">
        <span aria-hidden="true">☐</span> Go live <span aria-hidden="true">☐</span> Do not go live yet
      </p>
      <p className="pack-sign-rationale">Rationale (why, and what must change before deciding again):</p>
      <div className="pack-sign-lines" aria-hidden="true">
        <span />
        <span />
      </div>
      <p className="pack-sign-meaning">
        What a signature means. For go: “{STEERING_GO_MEANING}” For no-go: “{STEERING_NO_GO_MEANING}”
      </p>
      <TableScroll label="Signatures to write in">
        <table className="pack-sign-table">
          <caption>Signatures</caption>
          <thead>
            <tr>
              <th scope="col">Printed name</th>
              <th scope="col">Role</th>
              <th scope="col">Date and time (with zone)</th>
              <th scope="col">Signature</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              // blank rows have no name; a named approver is listed once
              // biome-ignore lint/suspicious/noArrayIndexKey: the rows never reorder
              <tr key={i}>
                <td>{r.name}</td>
                <td>{r.title}</td>
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="pack-sign-note">
        A signature on paper is not checked by Preflight: record the decision on the Readiness screen
        (Steering decision), where it is bound to this readiness result and to each signer’s key.
      </p>
    </section>
  );
}

/** The printed pack, with the actions to print and download it (see the header). */
export function EvidencePackView({
  pack,
  shared = false,
  signatureChecks,
}: {
  pack: EvidencePack;
  /**
   * the project is shared with a team server: its committee signs there, so a decision recorded
   * in a browser is named as typed names, not as the committee's signatures
   */
  shared?: boolean;
  /** each signature of the pack's steering decision as verified; absent: not checked (yet) */
  signatureChecks?: readonly SteeringSignatureCheck[] | undefined;
}) {
  const latest = pack.steering.latest;
  // what the browser shows beyond the printed blocks: the paper signature block that ends page 1
  const after: Record<string, ReactNode> = {
    'summary-end': latest?.state !== 'current' && <SignatureBlock pack={pack} />,
  };
  const fileName = `${pack.project.name.replace(/[^\p{L}\p{N}]+/gu, '-')}-evidence-pack.json`;
  return (
    <article className="evidence-pack" aria-labelledby="pack-title">
      <div className="pack-actions no-print">
        <button type="button" onClick={() => window.print()}>
          Print the evidence pack
        </button>
        <button type="button" onClick={() => downloadText(fileName, `${JSON.stringify(pack, null, 2)}\n`)}>
          Download the evidence pack (JSON)
        </button>
      </div>
      <PackBlocks
        blocks={packDocument(pack, { shared, ...(signatureChecks ? { signatureChecks } : {}) })}
        after={after}
      />
    </article>
  );
}
