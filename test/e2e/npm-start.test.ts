// What a new user does: run the built CLI's `serve` with embedded defaults and connect a signed
// client with the development key. The call is one for an unidentified caller, so it runs the
// whole stack (auth, session, dialog, prompts, disconnect with output variables) in seconds.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/audiohook/client/connect.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../../src/config/defaults.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcess;
let address = '';
const output: string[] = [];

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  child = spawn(process.execPath, ['bin/payhook.js', 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, PAYHOOK_CONFIG: '', PAYHOOK_GATEWAY_SIM: '0', PAYHOOK_DATA_DIR: mkdtempSync(join(tmpdir(), 'payhook-start-')), PAYHOOK_RECORDINGS_DIR: mkdtempSync(join(tmpdir(), 'payhook-rec-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => output.push(d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.join('')}`)), 20_000);
    child.stdout!.on('data', (d: string) => {
      output.push(d);
      const m = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output.join(''));
      if (m && !address) {
        address = m[1]!;
        clearTimeout(timer);
        resolve();
      }
    });
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

describe('payhook serve with embedded defaults', () => {
  it('serves health and a signed Audio Connector call with the development key, then drains on SIGTERM', async () => {
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    const connected = await connectClient(
      { url: `${address.replace('http', 'ws')}/api/v1/audioconnector/payments`, apiKey: DEV_API_KEY, clientSecret: DEV_CLIENT_SECRET },
      { inputVariables: { PAYHOOK_CALLER_IDENTIFIED: 'false' }, autoPlayback: true, ping: false },
    );
    expect(connected.ok).toBe(true);
    if (!connected.ok) return;
    const client = connected.client;
    const disconnected = new Promise<Record<string, string> | undefined>((r) => client.once('disconnect', (p) => r(p.outputVariables)));
    expect((await client.open()).code).toBe('OPENED');
    // Real-time caller audio while the bot speaks.
    const timer = setInterval(() => client.sendAudio(new Uint8Array(160).fill(0xff)), 20);
    const outputs = await disconnected;
    clearInterval(timer);
    expect(outputs).toMatchObject({ PAYHOOK_RESULT: 'not_identified', PAYHOOK_NEXT_ACTION: 'queue' });
    expect(client.receivedAudio().length + client.timeline.filter((e) => e.kind === 'binary' && e.dir === 'in').length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output.join('')).toContain('"msg":"drained; closing"');
  }, 60_000);
});
