/**
 * A witness of the team server's log: what a member's browser does with the signed tree head it
 * kept from its last sync and the server's answer now (its current head and a consistency proof
 * from the kept size). The server's log may only grow: a current head that is not signed by the
 * server's key, is smaller than the kept one, or that the proof does not show extending it means
 * the log was changed after the browser saw it — and the browser keeps the head it had.
 *
 * A head signed by another key than the kept one is taken only when the server's history of log
 * keys (logKeys.ts) leads to that key from the kept one by signed rotations; the witness then
 * trusts the new key from there on.
 *
 * A browser with no head kept yet (a new member, a second computer, a cleared browser) checks the
 * server's head against the heads the team's other browsers reported witnessing
 * ({@link witnessFirstHead}) instead of trusting the first head it is shown.
 *
 * Constraint: a head is only ever replaced by one proved to extend it; the kept head is the
 * witness's whole memory, so losing it to a rewritten log would lose the evidence.
 */
import { followLogKeys, type LogKeyRecord } from './logKeys.ts';
import { verifyConsistency } from './merkleTree.ts';
import { type SignedTreeHead, verifyTreeHead } from './treeHead.ts';

/** The server's answer at a sync: its head now, and the proof from the kept size to it. */
interface WitnessReply {
  head: SignedTreeHead;
  /** absent on a first sync (nothing kept yet) */
  proof?: readonly string[];
}

/** What a sync's check found. */
type WitnessVerdict =
  /**
   * the head to keep from now on: the first one, the same, or one proved to extend the kept one;
   * `publicKey` (raw, hex) signed it, the key to trust from now on (another than before after a
   * rotation, `rotations` of them)
   */
  | { status: 'kept'; head: SignedTreeHead; added: number; publicKey: string; rotations: number }
  /** the server's log no longer extends the kept head: keep `kept`, say `message` */
  | { status: 'changed'; kept: SignedTreeHead; current: SignedTreeHead; message: string };

/**
 * The words a lead acts on when a project's log on the team server no longer extends the head
 * this browser kept (or, `seenBy`, the head another browser of the team reported): which
 * entries, both heads, and what to do.
 */
function changedLogMessage(
  kept: SignedTreeHead,
  current: SignedTreeHead,
  why: string,
  seenBy = 'this browser last saw it',
): string {
  return `The team server’s audit log for this project was changed after ${seenBy}: the server no longer holds the ${kept.size} entries it signed at ${kept.timestamp} (root ${kept.rootHash}) — ${why}. The server now shows ${current.size} entries (root ${current.rootHash}, signed ${current.timestamp}). Entries up to entry ${kept.size} were removed or rewritten on the server. This browser keeps the earlier head as evidence. Tell the clinic’s administrator and keep your exports; give them to an inspector with "preflight signoff verify NEW --seen OLD".`;
}

/**
 * Checks the server's answer against the head this browser kept (`kept`, absent before the
 * first sync) and the log key it trusts (`publicKey`, raw, hex: the key that signed `kept`, or on
 * a first sync the key the server shows). A head signed by another key is followed through
 * `history`, the server's log keys oldest first (logKeys.ts).
 */
export async function witnessHead(
  kept: SignedTreeHead | undefined,
  reply: WitnessReply,
  publicKey: string,
  history: readonly LogKeyRecord[] = [],
  seenBy?: string,
): Promise<WitnessVerdict> {
  const current = reply.head;
  if (kept === undefined) {
    if (!(await verifyTreeHead(current, publicKey)))
      throw new Error('the team server’s tree head is not signed by its log key');
    return { status: 'kept', head: current, added: 0, publicKey, rotations: 0 };
  }
  const changed = (why: string): WitnessVerdict => ({
    status: 'changed',
    kept,
    current,
    message: changedLogMessage(kept, current, why, seenBy),
  });
  if (current.project !== kept.project) throw new Error('the team server answered for another project');
  const chain = await followLogKeys({ keyId: kept.keyId, publicKey }, history, current.keyId);
  if (!chain.ok)
    return changed(
      chain.reason === 'unchained'
        ? 'its head now is signed by a log key that no rotation the server recorded leads to from the key this browser saw'
        : `its history of log keys does not hold: ${chain.message}`,
    );
  if (!(await verifyTreeHead(current, chain.key.publicKey)))
    return changed('its head now is not signed by the log key it showed');
  if (current.size < kept.size) return changed(`it holds only ${current.size} entries`);
  if (!verifyConsistency(kept.size, current.size, kept.rootHash, current.rootHash, reply.proof ?? []))
    return changed('its log now does not extend the one this browser saw');
  return {
    status: 'kept',
    head: current,
    added: current.size - kept.size,
    publicKey: chain.key.publicKey,
    rotations: chain.rotations,
  };
}

/** A head another browser of the team reported it witnessed (`GET …/log/witnesses`). */
export interface TeamWitness {
  /** the member whose browser reported it */
  name: string;
  head: SignedTreeHead;
  reportedAt: string;
  /** the asking member's own report (from this browser or another of theirs) */
  mine?: boolean;
}

/** What a browser's first sync of a project found, checked against the team's witnessed heads. */
export type FirstWitnessVerdict =
  /**
   * the server's head now, to keep, signed by `publicKey`: proved to extend the latest head the
   * team reported (`against`, absent when there was none to check against: `unchecked` then says
   * how many reports were not the server's signed word)
   */
  | {
      status: 'kept';
      head: SignedTreeHead;
      publicKey: string;
      against?: { name: string; size: number; reportedAt: string };
      unchecked?: { notServers: number };
    }
  /** the server's log no longer extends a head `kept` that `name`'s browser reported: the alarm */
  | {
      status: 'changed';
      kept: SignedTreeHead;
      keptKey: string;
      current: SignedTreeHead;
      message: string;
    };

/**
 * A browser's first sync of a project: instead of trusting the first head it is shown, it checks
 * the server's head now (`current`, signed by `publicKey`) against every head the team's other
 * browsers reported (`witnesses`), each of them first verified as the server's own signed word
 * under its key history (`history`, oldest first) — a report that is not is not counted. Each
 * verified head, largest first, must be extended by the log now, proved by `proofFrom(size)`
 * (the server's consistency proof from that size); the first that is not is the alarm, kept as
 * that browser's evidence. No verified head: `unchecked`, for the browser to say it could not check.
 *
 * @throws when `current` is not signed by `publicKey`
 */
export async function witnessFirstHead(
  current: SignedTreeHead,
  publicKey: string,
  history: readonly LogKeyRecord[],
  witnesses: readonly TeamWitness[],
  proofFrom: (size: number) => Promise<WitnessReply>,
): Promise<FirstWitnessVerdict> {
  if (!(await verifyTreeHead(current, publicKey)))
    throw new Error('the team server’s tree head is not signed by its log key');
  const checked: { witness: TeamWitness; key: string }[] = [];
  const seen = new Set<string>();
  let notServers = 0;
  for (const witness of witnesses) {
    const id = `${witness.head.size}|${witness.head.signature}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const key = history.find((k) => k.keyId === witness.head.keyId);
    if (
      witness.head.project !== current.project ||
      key === undefined ||
      !(await verifyTreeHead(witness.head, key.publicKey))
    )
      notServers++;
    else checked.push({ witness, key: key.publicKey });
  }
  checked.sort((a, b) => b.witness.head.size - a.witness.head.size);
  for (const { witness, key } of checked) {
    const reply = await proofFrom(witness.head.size);
    const verdict = await witnessHead(
      witness.head,
      reply,
      key,
      history,
      `${witness.name}’s browser saw it (reported ${witness.reportedAt})`,
    );
    if (verdict.status === 'changed')
      return {
        status: 'changed',
        kept: witness.head,
        keptKey: key,
        current: verdict.current,
        message: verdict.message,
      };
  }
  const latest = checked[0]?.witness;
  if (latest === undefined) return { status: 'kept', head: current, publicKey, unchecked: { notServers } };
  return {
    status: 'kept',
    head: current,
    publicKey,
    against: { name: latest.name, size: latest.head.size, reportedAt: latest.reportedAt },
  };
}
