/**
 * `preflight signoff verify --tsa-cert <pem>`: the RFC 3161 time-stamps an export carries with
 * its team server's signed tree heads (`serve --tsa`). Each stamp must be over its head and
 * signed by the time-stamp authority whose certificate the user trusts (or one it issued); the
 * stamp's time is printed. Without `--tsa-cert` a stamp is still checked to be over its head and
 * to verify under the certificate it carries, and the user is told it was not checked against one
 * they trust.
 */
import { checkTreeHeadStamp } from '../../core/timeStamp/index.ts';
import type { SignedTreeHead } from '../../core/transparency/index.ts';
import { isPlainObject } from '../../formats/loading.ts';

/** What the stamps of a file's heads came to: lines to print, and whether one was refused. */
interface StampsFinding {
  lines: string[];
  refused: boolean;
}

/** The signed heads a project audit export (`treeHead`) or a sign-off export (`treeHeads`) holds. */
function headsOf(value: unknown): SignedTreeHead[] {
  if (!isPlainObject(value)) return [];
  const held = [
    value.treeHead,
    ...(Array.isArray(value.treeHeads) ? value.treeHeads : []).map((t) =>
      isPlainObject(t) ? t.treeHead : undefined,
    ),
  ];
  return held.filter(
    (h): h is SignedTreeHead =>
      isPlainObject(h) && typeof h.project === 'string' && typeof h.size === 'number',
  );
}

/**
 * Checks the time-stamp of each signed head in `value` against `trusted` (DER certificates;
 * undefined when the user named none).
 */
export async function checkExportStamps(
  file: string,
  value: unknown,
  trusted: readonly Uint8Array[] | undefined,
): Promise<StampsFinding> {
  const lines: string[] = [];
  let refused = false;
  for (const head of headsOf(value)) {
    const which = `tree head of project ${head.project} over ${head.size} entries`;
    if (typeof head.timeStamp !== 'string') {
      if (trusted !== undefined)
        lines.push(
          `${file}: ${which}: not time-stamped (the authority did not answer when it was signed, or the server had none); a later stamped head dates it`,
        );
      continue;
    }
    const check = await checkTreeHeadStamp(head, head.timeStamp, trusted ?? []);
    if (check.ok) lines.push(`${file}: ${which}: time-stamped by ${check.authority} at ${check.time}`);
    else if (trusted === undefined && check.untrusted !== undefined)
      lines.push(
        `${file}: ${which}: carries a time-stamp by ${check.untrusted}, not checked against an authority you trust: give --tsa-cert <its certificate>`,
      );
    else {
      refused = true;
      lines.push(`${file}: TIME-STAMP REFUSED: ${which}: ${check.message}`);
    }
  }
  return { lines, refused };
}
