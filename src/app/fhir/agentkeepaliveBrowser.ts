/**
 * Browser stand-in for `agentkeepalive`, which fhir-kit-client imports for Node's http agents. A
 * browser's fetch ignores agents (the browser manages connections), and the real package needs
 * Node's `http` module, so the app build aliases it to this (vite.config.ts).
 */
class BrowserAgent {}
/** Unused in the browser: fhir-kit-client passes it to fetch, which ignores it. */
export class HttpsAgent extends BrowserAgent {}
export default Object.assign(BrowserAgent, { HttpsAgent });
