import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticateUpgrade, type AuthResult } from '../auth/authenticate-upgrade.js';
import { staticKeyStore } from '../auth/key-store.js';
import { MemoryNonceCache } from '../auth/nonce-cache.js';
import { connectClient } from './connect.js';
import { connectWebSocket } from './ws-transport.js';

// A real ws server on loopback whose upgrade check is our own authenticateUpgrade, and whose
// session answers open, ping and close the protocol's way.
const API_KEY = 'payhook-test-key';
const SECRET = Buffer.from('a client secret of thirty-two b!').toString('base64');

let wss: WebSocketServer;
let baseUrl: string;
const authResults: AuthResult[] = [];
const received: { texts: string[]; binaryBytes: number; headers: Record<string, unknown> }[] = [];

function serve(socket: WebSocket, headers: Record<string, unknown>): void {
  const log = { texts: [] as string[], binaryBytes: 0, headers };
  received.push(log);
  let seq = 0;
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      log.binaryBytes += (data as Buffer).length;
      return;
    }
    const text = data.toString();
    log.texts.push(text);
    const msg = JSON.parse(text);
    const reply = (type: string, parameters: object) =>
      socket.send(JSON.stringify({ version: '2', id: msg.id, type, seq: ++seq, clientseq: msg.seq, parameters }));
    if (msg.type === 'open') {
      reply('opened', { media: [msg.parameters.media[0]] });
      socket.send(new Uint8Array(800).fill(0xff)); // 100 ms of bot audio
    } else if (msg.type === 'ping') reply('pong', {});
    else if (msg.type === 'close') reply('closed', {});
  });
}

beforeAll(async () => {
  const nonces = new MemoryNonceCache();
  const keys = staticKeyStore({ [API_KEY]: { secret: SECRET, connectors: ['payments'] } });
  wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, done) => {
      const url = info.req.url ?? '';
      const connectorId = url.split('?')[0]!.split('/').pop();
      void authenticateUpgrade({ method: info.req.method ?? 'GET', url, headers: info.req.headers, connectorId }, { keys, nonces, now: Date.now }).then(
        (result) => {
          authResults.push(result);
          if (result.ok) done(true);
          else done(false, result.status);
        },
      );
    },
  });
  wss.on('connection', (socket, req) => serve(socket, req.headers));
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  baseUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/v1/audioconnector`;
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

describe('AudioHook client over a real WebSocket', () => {
  it('signs the upgrade so that verifyRequest accepts it, then runs open, audio and close', async () => {
    const connected = await connectClient(
      { url: `${baseUrl}/payments?lang=en`, apiKey: API_KEY, clientSecret: SECRET },
      { ping: false, collectAudio: true, inputVariables: { paymentRef: 'INV-42' } },
    );
    if (!connected.ok) throw new Error(`connect failed: ${connected.code}`);
    const { client } = connected;
    const audio = new Promise<number>((resolve) => client.once('audio', (bytes) => resolve(bytes.length)));
    expect((await client.open()).code).toBe('OPENED');
    expect(await audio).toBe(800);
    expect(await client.streamAudio(new Uint8Array(1600), { paced: false })).toMatchObject({ code: 'COMPLETED', bytesSent: 1600 });
    expect(await client.close('end')).toEqual({ code: 'CLOSED' });

    const auth = authResults.at(-1)!;
    expect(auth).toMatchObject({ ok: true, apiKey: API_KEY, signed: true, sessionId: client.sessionId, organizationId: client.organizationId });
    const log = received.at(-1)!;
    expect(log.headers['audiohook-correlation-id']).toBe(connected.correlationId);
    expect(log.texts.map((t) => JSON.parse(t).type)).toEqual(['open', 'close']);
    expect(log.binaryBytes).toBe(1600);
    expect(client.violations).toEqual([]);
  });

  it('is refused with HTTP 401 when the client secret is wrong, and 403 for another connector', async () => {
    const wrong = Buffer.from('another secret, thirty-two bytes').toString('base64');
    expect(await connectWebSocket({ url: `${baseUrl}/payments`, apiKey: API_KEY, clientSecret: wrong })).toEqual({
      ok: false,
      code: 'HTTP_STATUS',
      status: 401,
    });
    expect(authResults.at(-1)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISMATCH' });
    expect(await connectWebSocket({ url: `${baseUrl}/marketing`, apiKey: API_KEY, clientSecret: SECRET })).toMatchObject({ status: 403 });
    expect(await connectWebSocket({ url: `${baseUrl}/payments`, apiKey: API_KEY })).toMatchObject({ status: 401 });
    expect(authResults.at(-1)).toMatchObject({ code: 'ERR_AUTH_SIGNATURE_MISSING' });
  });

  it('reports a bad URL or a closed port as values', async () => {
    expect(await connectWebSocket({ url: 'http://127.0.0.1/x', apiKey: API_KEY })).toEqual({ ok: false, code: 'BAD_URL' });
    expect(await connectWebSocket({ url: `${baseUrl}/payments`, apiKey: API_KEY, clientSecret: 'not base64!' })).toEqual({
      ok: false,
      code: 'BAD_CLIENT_SECRET',
    });
    const closed = await connectWebSocket({ url: 'ws://127.0.0.1:1/x', apiKey: API_KEY });
    expect(closed).toMatchObject({ ok: false, code: 'NETWORK' });
  });
});
