/**
 * Review packets on screen (docs/product.md#sign-off): the data lead exports a packet of the drawn
 * sample for a clinician on another computer and merges their results back; the clinician opens the
 * packet in their own Preflight (a project of its own, their decisions in its own audit chain) and
 * exports their results. Every file is verified by src/core/signoff/exports/packets.ts before anything is
 * stored: a refused file says why and which entry or record broke, and changes nothing.
 *
 * Constraint: the packet is the one file that carries patient records, so its export says so in
 * plain words next to the button, and the packet is kept only in this screen's memory on the
 * clinician's side (the project stores keys, row numbers and hashes, as for the lead).
 */
import { useId, useState } from 'react';
import { actingStaffId } from '../../core/project/signoffSettings.ts';
import {
  createReviewPacket,
  createReviewResults,
  decryptPacket,
  encryptPacket,
  isEncryptedPacket,
  MIN_PASSPHRASE_LENGTH,
  mergeReviewResults,
  PacketExportError,
  type PacketVerification,
  passphraseProblem,
  RESULT_KEY_SECRET_BYTES,
  rememberPacket,
  resultKeySecret,
  resultKeySourceOf,
  reviewOfPacket,
  serializeEncryptedPacket,
  serializePacketFile,
  verifyPacketBytes,
  verifyReviewPacket,
  verifyReviewResults,
} from '../../core/signoff/exports/index.ts';
import type { ShownRecord } from '../../core/signoff/review/index.ts';
import { rosterDecisionRefusal } from '../../core/signoff/signing/index.ts';
import type { AuditEntry, TrailAuditEntry } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision, Review, ReviewPass } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { Roster } from '../../formats/roster.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { downloadText } from '../common/download.ts';
import { asSentence, formatCount } from '../common/format.ts';
import { type JsonFile, JsonFileInput } from '../common/JsonFileInput.tsx';
import { useTeamServerState } from '../team/teamContext.ts';
import type { ReviewActions } from './reviewActions.ts';
import { NotSavedError, savedReview, savedSignoff } from './savedSignoff.ts';
import { postDecisions, teamProjectOfReview } from './serverReviews.ts';

type Status = { kind: 'idle' } | { kind: 'working' | 'done' | 'error'; text: string };

/** What an export says while it waits for the pending save (its button says it too). */
const WAITING_FOR_SAVE = 'Waiting for the latest changes to be saved before the file is made…';

/** A button whose work is under way: it says so and a second press starts nothing. */
function busyWhile(status: Status): { 'aria-busy'?: true; 'aria-disabled'?: true } {
  return status.kind === 'working' ? { 'aria-busy': true, 'aria-disabled': true } : {};
}

function StatusLine({ status }: { status: Status }) {
  if (status.kind === 'idle') return null;
  return status.kind === 'error' ? <p role="alert">{status.text}</p> : <p role="status">{status.text}</p>;
}

/**
 * The largest packet or results file read: 256 MiB. A packet carries a few kilobytes per record, so
 * this is far above any sample; a larger file is the wrong file, refused before it is read.
 */
const MAX_PACKET_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The data lead's side, under a review whose records are on screen: export a packet of the whole
 * sample, and merge a clinician's results back.
 */
export function LeadPacketTools({
  plan,
  review,
  shownRecords,
  actions,
  roster,
  project,
}: {
  plan: SamplePlan;
  review: Review;
  /** what the screen shows for every drawn record; null while the data file is not open */
  shownRecords: () => ShownRecord[] | null;
  actions: ReviewActions;
  /** the project's roster: merged decisions must be by people on it */
  roster?: Roster;
  /** the open project, as on screen */
  project: Project;
}) {
  const resultsId = useId();
  const passName = useId();
  const protectionName = useId();
  const [pass, setPass] = useState<ReviewPass>('first');
  const [encrypted, setEncrypted] = useState(true);
  const resultKeysName = useId();
  const [hashedKeys, setHashedKeys] = useState(true);
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [exportStatus, setExportStatus] = useState<Status>({ kind: 'idle' });
  const [importStatus, setImportStatus] = useState<Status>({ kind: 'idle' });
  const [serverStatus, setServerStatus] = useState<Status>({ kind: 'idle' });
  const count = review.sample.strata.reduce((sum, s) => sum + s.records.length, 0);
  const team = useTeamServerState();
  const sentTo = teamProjectOfReview(project.meta.settings, review.id);
  const merged = review.decisions.filter((d) => d.imported !== undefined);

  /**
   * Records `decisions` (merged from packets, as this review holds them) in the team project the
   * review was sent to, in the server's order. A failure is said and loses nothing: the merge stays
   * here, and sending again is safe (what the server recorded before is the same entry).
   */
  const sendToServer = async (decisions: readonly Decision[]) => {
    if (!sentTo || decisions.length === 0 || serverStatus.kind === 'working') return;
    if (team.phase !== 'signed-in') {
      setServerStatus({
        kind: 'error',
        text: 'The merged decisions are kept here but not yet on the team server, where this review was sent: sign in to the team server, then choose “Send merged decisions to the team server”.',
      });
      return;
    }
    setServerStatus({ kind: 'working', text: 'Recording the merged decisions on the team server…' });
    try {
      const recorded = await postDecisions(
        team.client.session,
        sentTo,
        review.id,
        decisions,
        'packet-decisions',
      );
      const last = recorded.at(-1);
      setServerStatus({
        kind: 'done',
        text: `The team server recorded the ${formatCount(recorded.length)} merged ${recorded.length === 1 ? 'decision' : 'decisions'} in its order${last ? ` (up to number ${formatCount(last.seq)} of this review there)` : ''}, each marked as from a review packet you merged.`,
      });
    } catch (error) {
      setServerStatus({
        kind: 'error',
        text: `The merged decisions are kept here, but the team server did not record them. ${asSentence((error as Error).message)} Nothing was lost: choose “Send merged decisions to the team server” to try again.`,
      });
    }
  };

  const exportPacket = async () => {
    const shown = shownRecords();
    if (!shown) {
      setExportStatus({
        kind: 'error',
        text: 'Open the data file above first: the packet carries the sampled records.',
      });
      return;
    }
    if (encrypted) {
      const weak = passphraseProblem(passphrase);
      if (weak) {
        setExportStatus({ kind: 'error', text: `No packet was saved: ${weak}.` });
        return;
      }
      if (passphrase !== repeated) {
        setExportStatus({
          kind: 'error',
          text: 'No packet was saved: the two passphrases differ. Type the same passphrase in both fields.',
        });
        return;
      }
    }
    if (exportStatus.kind === 'working') return;
    try {
      // made from the review as stored once the pending save landed (savedSignoff.ts): the packet
      // is recorded in that review, so no decision made just before is written over
      setExportStatus({ kind: 'working', text: WAITING_FOR_SAVE });
      const stored = savedReview(await savedSignoff(actions, project), review.id);
      const packet = createReviewPacket({
        id: actions.newId(),
        createdAt: actions.now(),
        plan,
        review: stored,
        shown,
        ...(review.dualReview ? { pass } : {}),
        // fresh for every packet: what maps the clinician's record identifiers back to keys
        ...(hashedKeys
          ? {
              resultKeySecret: resultKeySecret(
                crypto.getRandomValues(new Uint8Array(RESULT_KEY_SECRET_BYTES)),
              ),
            }
          : {}),
      });
      let text = serializePacketFile(packet);
      if (encrypted) {
        setExportStatus({ kind: 'working', text: 'Encrypting the packet…' });
        text = serializeEncryptedPacket(await encryptPacket(packet, passphrase));
      }
      setExportStatus({ kind: 'working', text: 'Recording the packet in the project…' });
      // the packet hash is stored before the file leaves: results are accepted only for it
      await actions.commit({
        type: 'review/put',
        review: rememberPacket(stored, packet, actingStaffId(project.meta.settings, project.meta.roster)),
      });
      const suffix = review.dualReview ? `-${pass}` : '';
      downloadText(`review-packet-${plan.id}${suffix}${encrypted ? '.encrypted' : ''}.json`, text);
      const whom = review.dualReview ? `clinician doing the ${pass} review` : 'reviewing clinician';
      const saved = `${formatCount(packet.records.length)} patient records, packet ${packet.integrity.sha256.slice(0, 12)}…`;
      const forPass = review.dualReview ? ` for the ${pass} review` : '';
      setExportStatus({
        kind: 'done',
        text: encrypted
          ? `Encrypted review packet${forPass} saved (${saved}). Send it only to the ${whom}, and give them the passphrase by another route — by phone or in person, never in the same message as the file.`
          : `Review packet${forPass} saved without encryption (${saved}). Anyone who gets this file can read the patient records: send it only to the ${whom}, through your organisation's approved secure channel.`,
      });
      setPassphrase('');
      setRepeated('');
    } catch (error) {
      setExportStatus({
        kind: 'error',
        text:
          error instanceof PacketExportError
            ? error.message
            : `The packet was not made: ${(error as Error).message}${error instanceof NotSavedError ? '.' : ''}`,
      });
    }
  };

  const importResults = async ({ file, bytes }: JsonFile) => {
    const verified = verifyPacketBytes(bytes, (json) => verifyReviewResults(json, review));
    if (!verified.ok) {
      setImportStatus({
        kind: 'error',
        text: asSentence(`${file.name} was refused, nothing was merged: ${verified.message}`),
      });
      return;
    }
    if (verified.decisions.length === 0) {
      setImportStatus({
        kind: 'done',
        text: `${file.name} checks out; its ${formatCount(verified.alreadyMerged)} decisions were merged before.`,
      });
      return;
    }
    // with a roster, every merged decision is by a person on it in the pass's role (as on this screen)
    const refusal = verified.decisions
      .map((d) => rosterDecisionRefusal(roster, d.reviewer.id, d.stage))
      .find((r) => r !== undefined);
    if (refusal) {
      setImportStatus({
        kind: 'error',
        text: `${file.name} checks out, but nothing was merged: ${refusal}`,
      });
      return;
    }
    let next: Review;
    try {
      const merger = actingStaffId(project.meta.settings, project.meta.roster);
      next = mergeReviewResults(review, verified.decisions, {
        at: actions.now(),
        ...(merger ? { by: merger } : {}),
      });
      await actions.commit({ type: 'review/put', review: next });
      const reviewers = [...new Set(verified.decisions.map((d) => d.reviewer.name))].join(', ');
      const as = review.dualReview
        ? ` as the ${verified.results.packet.manifest.pass ?? 'first'} review`
        : '';
      setImportStatus({
        kind: 'done',
        text: `Merged ${formatCount(verified.decisions.length)} decisions by ${reviewers}${as}: every hash checked out (their audit chain head ${verified.head.slice(0, 12)}…).`,
      });
    } catch (error) {
      setImportStatus({ kind: 'error', text: `Not merged: ${(error as Error).message}` });
      return;
    }
    // a review sent to a team project: the merged decisions go into the server's order too
    await sendToServer(next.decisions.slice(review.decisions.length));
  };

  return (
    <section className="packet-tools" aria-labelledby={`${resultsId}-title`}>
      <h5 id={`${resultsId}-title`}>Review on another computer</h5>
      <p className="notice">
        A review packet lets a clinician review this sample in Preflight on their own computer. It contains
        the {formatCount(count)} sampled patient records — the legacy and the migrated values, as shown here —
        so treat it like a patient chart: give it only to the clinician who will do the review, through your
        organisation's approved secure channel, and delete every copy once their results are back. Their
        results file holds their decisions, findings and comments, not the records' values, and names each
        record by a coded key unless you choose its record key below; a comment that quotes a record's key or
        identifying fields is refused, but comments can still describe patients in other words, so it comes
        back the same way.
      </p>
      {review.dualReview && (
        <fieldset className="reviewer">
          <legend>Dual review: which independent review is this packet for?</legend>
          <label>
            <input
              type="radio"
              name={passName}
              checked={pass === 'first'}
              onChange={() => setPass('first')}
            />{' '}
            First review
          </label>
          <label>
            <input
              type="radio"
              name={passName}
              checked={pass === 'second'}
              onChange={() => setPass('second')}
            />{' '}
            Second review
          </label>
          <p className="step-detail">
            Send the first-review packet to one clinician and the second-review packet to another. Neither
            packet holds anyone's decisions; records the two disagree on go to an adjudicator here.
          </p>
        </fieldset>
      )}
      <form
        className="packet-export"
        onSubmit={(e) => {
          e.preventDefault();
          void exportPacket();
        }}
      >
        <fieldset className="reviewer">
          <legend>Protect the packet</legend>
          <label>
            <input
              type="radio"
              name={protectionName}
              checked={encrypted}
              onChange={() => setEncrypted(true)}
            />{' '}
            Encrypt with a passphrase (recommended)
          </label>
          <label>
            <input
              type="radio"
              name={protectionName}
              checked={!encrypted}
              onChange={() => setEncrypted(false)}
            />{' '}
            Do not encrypt
          </label>
          {encrypted ? (
            <>
              {/* browsers expect a user name beside a new password: this one names the packet */}
              <input type="text" autoComplete="username" value={`Review packet ${plan.id}`} readOnly hidden />
              <p className="step-detail">
                Only someone with the passphrase can open the packet. Use at least {MIN_PASSPHRASE_LENGTH}{' '}
                characters — a few unrelated words are easy to say and hard to guess — and give it to the
                clinician by phone or in person, never in the same message as the file. Preflight does not
                keep it: if it is lost, export a new packet.
              </p>
              <p>
                <label htmlFor={`${protectionName}-pass`}>Passphrase</label>{' '}
                <input
                  id={`${protectionName}-pass`}
                  type="password"
                  autoComplete="new-password"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.currentTarget.value)}
                />
              </p>
              <p>
                <label htmlFor={`${protectionName}-repeat`}>Passphrase again</label>{' '}
                <input
                  id={`${protectionName}-repeat`}
                  type="password"
                  autoComplete="new-password"
                  value={repeated}
                  onChange={(e) => setRepeated(e.currentTarget.value)}
                />
              </p>
            </>
          ) : (
            <p className="notice" role="note">
              Warning: without encryption, anyone who gets this file — a wrong address, a shared folder, a
              lost laptop — can read the {formatCount(count)} patient records in it. Export it unencrypted
              only if your organisation's secure channel already protects it end to end.
            </p>
          )}
        </fieldset>
        <fieldset className="reviewer">
          <legend>Records in the clinician's results</legend>
          <label>
            <input
              type="radio"
              name={resultKeysName}
              checked={hashedKeys}
              onChange={() => setHashedKeys(true)}
            />{' '}
            Identify each record by a coded key (recommended)
          </label>
          <label>
            <input
              type="radio"
              name={resultKeysName}
              checked={!hashedKeys}
              onChange={() => setHashedKeys(false)}
            />{' '}
            Identify each record by its record key
          </label>
          {hashedKeys ? (
            <p className="step-detail">
              The results file the clinician sends back names each record by a code made with a secret that
              only this packet and this project hold, so the file alone reveals no record key (such as an
              MRN). Preflight turns the codes back into record keys when you import the results here.
            </p>
          ) : (
            <p className="notice" role="note">
              Warning: the results file the clinician sends back will list the record key (such as the MRN) of
              every one of the {formatCount(count)} sampled records. Choose this only if the results must be
              read without this project.
            </p>
          )}
        </fieldset>
        <button type="submit" {...busyWhile(exportStatus)}>
          {exportStatus.kind === 'working' && exportStatus.text === WAITING_FOR_SAVE ? (
            'Waiting for the save…'
          ) : (
            <>
              Export {encrypted ? 'encrypted ' : 'unencrypted '}review packet ({formatCount(count)} patient
              records)
            </>
          )}
        </button>
      </form>
      <StatusLine status={exportStatus} />
      <p>
        <JsonFileInput
          label="Results file from a clinician"
          what="a results file"
          maxBytes={MAX_PACKET_FILE_BYTES}
          onChosen={(file) => setImportStatus({ kind: 'working', text: `Checking ${file.name}…` })}
          onRead={(read) => void importResults(read)}
          onRefused={(file, problem) =>
            setImportStatus({
              kind: 'error',
              text: `${file.name} was refused, nothing was merged: ${problem}.`,
            })
          }
        />
      </p>
      <StatusLine status={importStatus} />
      {sentTo && merged.length > 0 && (
        <p>
          <button type="button" {...busyWhile(serverStatus)} onClick={() => void sendToServer(merged)}>
            Send merged decisions to the team server
          </button>
        </p>
      )}
      <StatusLine status={serverStatus} />
    </section>
  );
}

/** The clinician's side, under the review of an open packet: export the results. */
export function ReviewerResultsExport({
  packet,
  review: shownReview,
  project,
  actions,
}: {
  packet: ReviewPacket;
  review: Review;
  /** the open project, as on screen */
  project: Project;
  actions: ReviewActions;
}) {
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const exportResults = async () => {
    if (status.kind === 'working') return;
    // your decisions as stored once the pending save landed, with their chain (savedSignoff.ts)
    setStatus({ kind: 'working', text: WAITING_FOR_SAVE });
    let entries: Awaited<ReturnType<ReviewActions['auditLog']>>;
    let review: Review;
    try {
      const saved = await savedSignoff(actions, project);
      entries = saved.entries;
      review = savedReview(saved, shownReview.id);
    } catch (error) {
      setStatus({
        kind: 'error',
        text: asSentence(`Your results were not exported: ${(error as Error).message}`),
      });
      return;
    }
    // results carry the clinician's whole chain (decisions, and the packet's lock, sample and
    // opening before them); a sign-off signature belongs to the data lead's project
    const decisionEntries = entries.filter((e): e is AuditEntry | TrailAuditEntry => e.event !== 'signature');
    if (decisionEntries.length !== entries.length) {
      setStatus({
        kind: 'error',
        text: 'This project holds a sign-off signature, so it is not a clinician’s review of a packet: export results from the project the packet opened.',
      });
      return;
    }
    const results = createReviewResults({
      packet,
      review,
      entries: decisionEntries,
      exportedAt: actions.now(),
    });
    // checked as the data lead will check it, so a broken file is never sent
    const check = verifyReviewResults(results, undefined, resultKeySourceOf(packet));
    if (!check.ok) {
      setStatus({
        kind: 'error',
        text:
          check.reason === 'identifying-comment'
            ? 'Your results cannot be exported: some of your decisions have a comment or change reason that identifies the patient (the record key, or a number shaped like an MRN, a phone number or an e-mail address), and decisions cannot be edited once saved. Ask your data lead for a fresh copy of the packet and review those records again, referring to each as "the record" or by field name.'
            : asSentence(`Your results cannot be exported: ${check.message}`),
      });
      return;
    }
    downloadText(`review-results-${packet.plan.id}.json`, serializePacketFile(results));
    setStatus({
      kind: 'done',
      text: packet.resultKeys
        ? `Results saved: ${formatCount(review.decisions.length)} decisions. The file names each record by a coded key, never by its record key (such as the MRN). Send it back to your data lead the way the packet came: Preflight refuses comments that quote a record's key or identifying fields, but check yours for other details.`
        : `Results saved: ${formatCount(review.decisions.length)} decisions. Send the file back to your data lead the way the packet came: it holds your comments and the records' keys (such as MRNs), which can identify patients.`,
    });
  };
  return (
    <section className="packet-tools" aria-label="Your results">
      <h5>Your results</h5>
      <p>
        When you are done (or to send what you have so far), export your results and send the file back to the
        data lead who sent you the packet. It holds your decisions, findings and comments with their audit
        trail and the records' fingerprints, not the records' values, and names each record{' '}
        {packet.resultKeys
          ? 'by a coded key, not its record key'
          : 'by its record key (such as the MRN), as your data lead chose'}
        . Preflight refuses a comment that quotes the record's key, its identifying fields or a number shaped
        like an MRN or phone number; a comment can still describe a patient in other words, so send the file
        back the way the packet came.
      </p>
      <button type="button" {...busyWhile(status)} onClick={() => void exportResults()}>
        {status.kind === 'working' && status.text === WAITING_FOR_SAVE
          ? 'Waiting for the save…'
          : 'Export my results'}
      </button>
      <StatusLine status={status} />
    </section>
  );
}

/** The review in `project` that belongs to the open `packet` on the clinician's side, if any. */
export function reviewOfOpenPacket(project: Project, packet: ReviewPacket): Review | undefined {
  return project.reviews?.find(
    (r) => r.id !== packet.reviewId && (r.packets ?? []).some((p) => p.sha256 === packet.integrity.sha256),
  );
}

/**
 * Opening a packet on the clinician's computer: it is verified, then reviewed in a project of its
 * own ("Review of <plan>"), created the first time and reused when the packet is opened again.
 */
export function OpenPacket({
  project,
  actions,
  onOpened,
}: {
  project: Project;
  actions: ReviewActions;
  onOpened: (packet: ReviewPacket) => void;
}) {
  const inputId = useId();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  /** an encrypted packet waiting for its passphrase: its file name and parsed JSON */
  const [locked, setLocked] = useState<{ name: string; json: unknown } | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const open = async ({ file, bytes, json }: JsonFile) => {
    if (isEncryptedPacket(json)) {
      setPassphrase('');
      setLocked({ name: file.name, json });
      setStatus({
        kind: 'done',
        text: `${file.name} is encrypted: type the passphrase your data lead gave you, then choose Open packet.`,
      });
      return;
    }
    await openVerified(file.name, verifyPacketBytes(bytes, verifyReviewPacket));
  };
  const unlock = async () => {
    if (!locked) return;
    setStatus({ kind: 'working', text: `Decrypting ${locked.name}…` });
    const verified = await decryptPacket(locked.json, passphrase);
    if (!verified.ok && verified.reason === 'passphrase') {
      // the file stays chosen: the clinician can try the passphrase again
      setStatus({ kind: 'error', text: asSentence(`${locked.name} was not opened: ${verified.message}`) });
      return;
    }
    setLocked(null);
    setPassphrase('');
    await openVerified(locked.name, verified);
  };
  const openVerified = async (name: string, verified: PacketVerification) => {
    if (!verified.ok) {
      setStatus({
        kind: 'error',
        text: `${name} was refused: ${verified.message}. It may have been changed or damaged on the way; ask your data lead to send it again.`,
      });
      return;
    }
    const { packet, sha256 } = verified;
    try {
      if (!reviewOfOpenPacket(project, packet)) {
        // the packet's plan and review go into a project of their own, never into the one open now
        if (!(await actions.createProject?.(`Review of ${packet.plan.name}`)))
          throw new Error('a project for it could not be created in this browser');
        await actions.commit({ type: 'samplePlan/put', samplePlan: packet.plan });
        await actions.commit({ type: 'review/put', review: reviewOfPacket(packet, sha256, actions.newId()) });
      }
      onOpened(packet);
      setStatus({
        kind: 'done',
        text: `Packet opened: ${formatCount(packet.records.length)} records to review. Your decisions are saved in this browser.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: `The packet was not opened: ${(error as Error).message}` });
    }
  };
  return (
    <section className="card packet-open" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Review a packet from your data lead</h3>
      <p>
        A data lead can send you a review packet to review their sample here, on your computer. Preflight
        checks that the packet arrived unchanged and opens it as a project of its own. The packet holds
        patient records: keep it where you keep patient information, and delete it once you have sent your
        results.
      </p>
      <JsonFileInput
        label="Review packet"
        what="a review packet"
        maxBytes={MAX_PACKET_FILE_BYTES}
        onChosen={(file) => {
          setLocked(null);
          setStatus({ kind: 'working', text: `Checking ${file.name}…` });
        }}
        onRead={(read) => void open(read)}
        onRefused={(file, problem) =>
          setStatus({ kind: 'error', text: `${file.name} was refused: ${problem}.` })
        }
      />
      {locked && (
        <form
          className="packet-unlock"
          onSubmit={(e) => {
            e.preventDefault();
            void unlock();
          }}
        >
          {/* browsers expect a user name beside a password: this one names the packet */}
          <input type="text" autoComplete="username" value={locked.name} readOnly hidden />
          <label htmlFor={`${inputId}-pass`}>Passphrase for {locked.name}</label>{' '}
          <input
            id={`${inputId}-pass`}
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
          />{' '}
          <button type="submit">Open packet</button>
        </form>
      )}
      <StatusLine status={status} />
    </section>
  );
}
