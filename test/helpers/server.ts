// Starts a real PayHook server on 127.0.0.1 (random port) with test keys, and connects
// Genesys-like clients to it. Log lines are captured so tests can search them.
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/core/log.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { buildApp, type AppDeps, type PayhookApp } from '../../src/server/app.js';
import { connectClient } from '../../src/audiohook/client/connect.js';
import type { AudioHookClientOptions } from '../../src/audiohook/client/audiohook-client.js';
import type { ConnectOptions } from '../../src/audiohook/client/ws-transport.js';

export const SIGNED_KEY = 'test-signed-api-key';
export const SIGNED_SECRET = Buffer.from('a test client secret, 32 bytes!!').toString('base64');
export const UNSIGNED_KEY = 'test-unsigned-api-key';
export const ORG_ID = 'd7934305-0972-4844-938e-9060eef73d05';

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(line);
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestServer {
  payhook: PayhookApp;
  url: string;
  wsBase: string;
  logs: LogCapture;
  close(): Promise<void>;
}

export async function startTestServer(
  overrides: Partial<ConfigInput> = {},
  deps: Partial<Omit<AppDeps, 'config'>> = {},
): Promise<TestServer> {
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0, drainTimeoutSeconds: 5 },
    logLevel: 'debug',
    apiKeys: [
      { apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, connectors: '*' },
      { apiKey: UNSIGNED_KEY, connectors: ['payments'] },
    ],
    connectors: { payments: {}, other: {} },
    ...overrides,
  });
  const logs = new LogCapture();
  const payhook = await buildApp({ config, logger: createLogger({ level: 'debug', destination: logs }), ...deps });
  const address = await payhook.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    payhook,
    url: address,
    wsBase: address.replace(/^http/, 'ws'),
    logs,
    close: () => payhook.drainAndClose(200),
  };
}

export async function connect(
  server: TestServer,
  path = '/api/v1/audioconnector/payments',
  connect: Partial<ConnectOptions> = {},
  client: Omit<AudioHookClientOptions, 'transport' | 'sessionId' | 'organizationId'> = {},
) {
  const result = await connectClient(
    { url: `${server.wsBase}${path}`, apiKey: SIGNED_KEY, clientSecret: SIGNED_SECRET, organizationId: ORG_ID, ...connect },
    { conversationId: randomUUID(), ping: false, ...client },
  );
  if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result)}`);
  return result.client;
}
