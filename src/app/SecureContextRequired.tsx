/**
 * The page shown instead of the app when the browser gives it no secure context: opened over
 * plain http:// at an address other than this computer's own (a LAN address, a server's name).
 * Browsers keep `crypto.randomUUID`, Web Crypto and signing keys to secure pages, so the app would
 * fail on its first id with a blank page; this says why and what to do instead.
 *
 * Constraint: it imports nothing that touches `crypto` — main.tsx renders it before loading the app.
 */

/** Whether the app can run here: browsers give secure pages (https://, localhost) the crypto it needs. */
export function hasSecureContext(win: Pick<Window, 'isSecureContext'>): boolean {
  return win.isSecureContext === true;
}

/** The same address over https://, which is what the clinic's IT most likely set up. */
export function httpsAddressOf(href: string): string | undefined {
  try {
    const url = new URL(href);
    if (url.protocol !== 'http:') return undefined;
    url.protocol = 'https:';
    url.port = '';
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Says that Preflight needs a secure address, and what to open instead. */
export function SecureContextRequired({ href }: { href: string }) {
  const https = httpsAddressOf(href);
  let opened = href;
  try {
    opened = new URL(href).origin;
  } catch {
    // shown as given
  }
  return (
    <main className="workspace" aria-labelledby="secure-context-title">
      <h1 id="secure-context-title">Preflight needs a secure (https://) address</h1>
      <p className="lede">
        This page was opened at <code>{opened}</code>, over plain HTTP. Browsers give the encryption and
        signing keys Preflight relies on only to secure pages, so Preflight cannot run at this address.
        Nothing was saved or sent.
      </p>
      <ul>
        <li>
          Open the <strong>https://</strong> address your clinic’s IT set up for Preflight
          {https === undefined ? '' : ' (perhaps '}
          {https === undefined ? null : <a href={https}>{https}</a>}
          {https === undefined ? '.' : ').'}
        </li>
        <li>If you do not know it, ask them for Preflight’s address: it starts with https://.</li>
        <li>
          For IT: serve Preflight behind an HTTPS proxy and give the server <code>--public-url</code> (see
          docs/deployment.md). Plain HTTP works only on the computer itself, at http://localhost.
        </li>
      </ul>
    </main>
  );
}
