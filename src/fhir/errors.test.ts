/**
 * What a failed answer from a FHIR server becomes: the server's own words are shown (an
 * OperationOutcome's text or diagnostics, a plain-text error's first line), and an answer cut short
 * part way through its JSON is called that, not blamed on the address.
 */
import { describe, expect, it } from 'vitest';
import { toFhirServerError } from './errors.ts';

const BASE = 'https://fhir.example.org/r4';
/** As fhir-kit-client throws it: the status, and the parsed body or the text that did not parse. */
const answered = (status: number, data: unknown) =>
  Object.assign(new Error(`HTTP ${status}`), { response: { status, data } });
const outcome = (issue: Record<string, unknown>) => ({ resourceType: 'OperationOutcome', issue: [issue] });

describe('toFhirServerError', () => {
  it.each([
    {
      description: 'an OperationOutcome with only diagnostics: its diagnostics',
      error: answered(
        500,
        outcome({ severity: 'error', code: 'exception', diagnostics: 'HAPI-0389: database is read-only' }),
      ),
      kind: 'server-error',
      says: 'HAPI-0389: database is read-only',
    },
    {
      description: 'an OperationOutcome with details.text: that text, not the diagnostics',
      error: answered(
        422,
        outcome({
          severity: 'error',
          code: 'invalid',
          details: { text: 'Unknown search parameter' },
          diagnostics: 'x.y.Z',
        }),
      ),
      kind: 'server-error',
      says: 'Unknown search parameter',
    },
    {
      description: 'a plain-text error: its first line',
      error: answered(503, 'Service is down for maintenance until 14:00\nRequest id 1234'),
      kind: 'server-error',
      says: 'the server said: Service is down for maintenance until 14:00',
    },
    {
      description: 'a search answer cut short in its JSON: cut short, not the address',
      error: answered(200, '{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceTy'),
      kind: 'server-error',
      says: 'not complete JSON (HTTP 200)',
    },
  ])('shows $description', ({ error, kind, says }) => {
    const problem = toFhirServerError(error, BASE, 'searching for Patient records', false);
    expect(problem.kind).toBe(kind);
    expect(problem.message).toContain(says);
    expect(problem.message).toContain('https://fhir.example.org');
    expect(problem.advice).not.toMatch(/FHIR base URL/);
  });

  it('cuts a long server text short', () => {
    const problem = toFhirServerError(answered(500, 'x'.repeat(500)), BASE, 'searching', false);
    expect(problem.message.length).toBeLessThan(260);
    expect(problem.message).toContain('…');
  });

  it.each([
    { description: 'a web page', error: answered(200, '<html><body>Welcome</body></html>') },
    { description: 'an error web page', error: answered(404, '<html><body>Not found</body></html>') },
    { description: 'JSON that is not FHIR', error: answered(200, { hello: 'world' }) },
  ])('still calls $description not a FHIR server, and points at the address', ({ error }) => {
    const problem = toFhirServerError(error, BASE, 'reading what the server offers', false);
    expect(problem.kind).toBe('not-fhir');
    expect(problem.advice).toMatch(/FHIR base URL/);
  });
});
