/**
 * The server's requests to the identity provider: a connection the provider closed before it
 * answered is a GET sent again, never a POST; a provider that answers with a server error or not
 * at all is a failure naming the provider, the address (never its query) and the status.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityClient, IdentityProviderError, providerFetch } from './identity.ts';

describe('requests to the identity provider', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    // drops the connection of the first request it gets, unanswered, as a provider does that
    // closes a kept-alive connection just as it is reused
    server = createServer((request, response) => {
      seen.push(request.method ?? '');
      if (seen.length === 1) {
        request.socket.destroy();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end('{"issuer":"answered"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/openid-configuration`;
  });
  beforeEach(() => {
    seen.length = 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (method: string) =>
    ({ method, headers: {}, body: method === 'GET' ? undefined : 'code=once', redirect: 'manual' }) as const;

  it('fails on such a connection without a second sending', async () => {
    await expect(fetch(url, request('GET'))).rejects.toThrow(/fetch failed/);
    expect(seen).toEqual(['GET']);
  });

  it('sends a GET once more when its connection closed before any answer', async () => {
    const response = await providerFetch(url, request('GET'));
    await expect(response.json()).resolves.toEqual({ issuer: 'answered' });
    expect(seen).toEqual(['GET', 'GET']);
  });

  it('never sends a POST again', async () => {
    await expect(providerFetch(url, request('POST'))).rejects.toThrow(/fetch failed/);
    expect(seen).toEqual(['POST']);
  });
});

describe('an identity provider that fails', () => {
  let server: Server;
  let issuer: string;
  /** what the provider does with each request: answers, answers 503, or never answers */
  let tokenAnswer: 'ok' | 'down' | 'silent' = 'ok';
  let discoveryAnswer: 'ok' | 'down' | 'silent' = 'ok';
  beforeAll(async () => {
    server = createServer((request, response) => {
      const discovery = request.url?.startsWith('/realms/clinic/.well-known/') === true;
      const mode = discovery ? discoveryAnswer : tokenAnswer;
      if (mode === 'silent') return;
      if (mode === 'down') {
        response.statusCode = 503;
        response.end('Service Unavailable');
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          jwks_uri: `${issuer}/protocol/openid-connect/certs`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/clinic`;
  });
  beforeEach(() => {
    tokenAnswer = 'ok';
    discoveryAnswer = 'ok';
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () =>
    createIdentityClient({ issuer, clientId: 'preflight', allowHttp: true, timeoutSeconds: 0.2 });

  it('names the provider, the status and the address of a discovery answered 503', async () => {
    discoveryAnswer = 'down';
    const failed = await client()
      .begin('http://127.0.0.1/api/login/callback')
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(IdentityProviderError);
    expect(failed).toMatchObject({
      issuer,
      status: 503,
      address: `${issuer}/.well-known/openid-configuration`,
      message: `the identity provider ${issuer} answered 503 at ${issuer}/.well-known/openid-configuration`,
    });
  });

  it('says a provider that does not answer did not, within its time', async () => {
    discoveryAnswer = 'silent';
    const failed = await client()
      .begin('http://127.0.0.1/api/login/callback')
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({
      status: undefined,
      message: `the identity provider ${issuer} did not answer within 0.2 s at ${issuer}/.well-known/openid-configuration`,
    });
  });

  it.each(['down', 'silent'] as const)(
    'names the token endpoint, never the code, when the provider is %s at the end of a sign-in',
    async (mode) => {
      const identity = client();
      const { pending } = await identity.begin('http://127.0.0.1/api/login/callback');
      tokenAnswer = mode;
      const callback = new URL(
        `http://127.0.0.1/api/login/callback?code=secret-code-4711&state=${pending.state}&iss=${encodeURIComponent(issuer)}`,
      );
      const failed = await identity.finish(callback, pending).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(IdentityProviderError);
      expect(failed).toMatchObject({
        address: `${issuer}/protocol/openid-connect/token`,
        status: mode === 'down' ? 503 : undefined,
      });
      expect(JSON.stringify({ ...(failed as object), message: (failed as Error).message })).not.toContain(
        'secret-code-4711',
      );
    },
  );
});
