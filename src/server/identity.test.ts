/**
 * The server's requests to the identity provider: a connection the provider closed before it
 * answered is a GET sent again, never a POST.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerFetch } from './identity.ts';

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
