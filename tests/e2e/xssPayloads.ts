/**
 * Script-injection payloads for the XSS specs (exports opened from disk, text typed into the app).
 * Each payload sets `window.pwned` (or its parent's) to its own number if it ever runs, so a test
 * reads one global to know whether anything ran and which payload it was.
 */
export const PAYLOADS = [
  '<img src=x onerror="window.pwned=1">',
  '"><script>window.pwned=2</script>',
  '\'><svg onload="window.pwned=3">',
  'javascript:window.pwned=4',
  '</title></style></textarea><script>window.pwned=5</script>',
  ']]><script>window.pwned=6</script><![CDATA[',
  '<a href="javascript:window.pwned=7">x</a>',
  '<iframe srcdoc="<script>parent.pwned=8</script>">',
] as const;

/**
 * The payloads in three texts of at most 120 characters (the longest a project name may be), so a
 * field is filled three times rather than eight. Order matters inside a text: `javascript:` works
 * only at the start of a value, and the CDATA payload opens a bogus comment that would hide what
 * follows it, so each such payload stands where it cannot mask another. "The check proves itself"
 * shows each text runs when it reaches markup.
 */
export const PAYLOAD_TEXTS = [
  [PAYLOADS[3], PAYLOADS[6], PAYLOADS[5]],
  [PAYLOADS[4], PAYLOADS[7]],
  [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2]],
].map((group) => ({ text: group.join(' '), numbers: group.map((p) => PAYLOADS.indexOf(p) + 1) }));

/** What a page (or a file opened from disk) ran and what active markup it holds. */
export interface Inertness {
  /** the number of the payload that ran, or null */
  ran: number | null;
  /** inline script, iframe, object or embed elements, event-handler attributes, `javascript:` links */
  active: string[];
}

/** Runs in the page: what ran and which active markup the document holds. */
export function inertnessInPage(): Inertness {
  const active: string[] = [];
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed'].includes(tag) && !element.hasAttribute('src'))
      active.push(tag);
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) active.push(`${tag}[${attribute.name}]`);
      const link = ['href', 'xlink:href', 'src', 'action', 'formaction', 'data'].includes(attribute.name);
      if (link && /^\s*javascript:/i.test(attribute.value))
        active.push(`${tag}[${attribute.name}=javascript:]`);
    }
  }
  return { ran: (window as unknown as { pwned?: number }).pwned ?? null, active };
}
