/**
 * A witness of the team server's log: what a member's browser does with the signed tree head it
 * kept from its last sync and the server's answer now (its current head and a consistency proof
 * from the kept size). The server's log may only grow: a current head that is not signed by the
 * server's key, is smaller than the kept one, or that the proof does not show extending it means
 * the log was changed after the browser saw it — and the browser keeps the head it had.
 *
 * Constraint: a head is only ever replaced by one proved to extend it; the kept head is the
 * witness's whole memory, so losing it to a rewritten log would lose the evidence.
 */
import { verifyConsistency } from './merkleTree.ts';
import { type SignedTreeHead, verifyTreeHead } from './treeHead.ts';

/** The server's answer at a sync: its head now, and the proof from the kept size to it. */
export interface WitnessReply {
  head: SignedTreeHead;
  /** absent on a first sync (nothing kept yet) */
  proof?: readonly string[];
}

/** What a sync's check found. */
export type WitnessVerdict =
  /** the head to keep from now on: the first one, the same, or one proved to extend the kept one */
  | { status: 'kept'; head: SignedTreeHead; added: number }
  /** the server's log no longer extends the kept head: keep `kept`, say `message` */
  | { status: 'changed'; kept: SignedTreeHead; current: SignedTreeHead; message: string };

/**
 * The words a lead acts on when a project's log on the team server no longer extends the head
 * this browser kept: which entries, both heads, and what to do.
 */
export function changedLogMessage(kept: SignedTreeHead, current: SignedTreeHead, why: string): string {
  return `The team server’s audit log for this project was changed after this browser last saw it: the server no longer holds the ${kept.size} entries it signed at ${kept.timestamp} (root ${kept.rootHash}) — ${why}. The server now shows ${current.size} entries (root ${current.rootHash}, signed ${current.timestamp}). Entries up to entry ${kept.size} were removed or rewritten on the server. This browser keeps the earlier head as evidence. Tell the clinic’s administrator and keep your exports; give them to an inspector with "preflight signoff verify NEW --seen OLD".`;
}

/**
 * Checks the server's answer against the head this browser kept (`kept`, absent before the
 * first sync) and the server's log key (`publicKey`, raw, hex).
 */
export async function witnessHead(
  kept: SignedTreeHead | undefined,
  reply: WitnessReply,
  publicKey: string,
): Promise<WitnessVerdict> {
  const current = reply.head;
  const signed = await verifyTreeHead(current, publicKey);
  if (kept === undefined) {
    if (!signed) throw new Error('the team server’s tree head is not signed by its log key');
    return { status: 'kept', head: current, added: 0 };
  }
  const changed = (why: string): WitnessVerdict => ({
    status: 'changed',
    kept,
    current,
    message: changedLogMessage(kept, current, why),
  });
  if (current.project !== kept.project) throw new Error('the team server answered for another project');
  if (!signed) return changed('its head now is not signed by the log key it showed');
  if (current.keyId !== kept.keyId) return changed('its head now is signed by another log key');
  if (current.size < kept.size) return changed(`it holds only ${current.size} entries`);
  if (!verifyConsistency(kept.size, current.size, kept.rootHash, current.rootHash, reply.proof ?? []))
    return changed('its log now does not extend the one this browser saw');
  return { status: 'kept', head: current, added: current.size - kept.size };
}
