// Replays a fixture against a running server in real time, signed like Genesys. Only the caller's
// side is observable: the timeline has the caller's steps, the bot's speech bursts as heard, the
// protocol milestones and the disconnect's output variables.
import { randomUUID } from 'node:crypto';
import { systemClock } from '../core/clock.js';
import { connectClient } from '../audiohook/client/connect.js';
import { DEV_API_KEY, DEV_CLIENT_SECRET } from '../config/defaults.js';
import { AudioTrack } from './audio-track.js';
import { LIVE_UNPREDICTABLE_OUTPUTS, checkExpectation } from './expectation.js';
import { followClient } from './follow.js';
import type { LoadedFixture } from './load-fixture.js';
import type { ReplayResult } from './run-in-process.js';
import { ScriptedCaller } from './scripted-caller.js';
import { audioConnectorUrl } from './target.js';
import { Timeline } from './timeline.js';

export interface LiveOptions {
  readonly url: string;
  readonly apiKey?: string;
  /** Base64 client secret; the development secret by default. */
  readonly clientSecret?: string;
}

export type LiveRun = { ok: true; result: ReplayResult } | { ok: false; code: 'ERR_REPLAY_CONNECT_FAILED'; reason: string };

export async function runLive(loaded: LoadedFixture, options: LiveOptions): Promise<LiveRun> {
  const { fixture, script, name } = loaded;
  const target = audioConnectorUrl(options.url, fixture.connector);
  if (!target.ok) return { ok: false, code: 'ERR_REPLAY_CONNECT_FAILED', reason: target.reason };
  const t0 = performance.now();
  const timeline = new Timeline(() => performance.now() - t0);
  const connected = await connectClient(
    { url: target.url, apiKey: options.apiKey ?? DEV_API_KEY, clientSecret: options.clientSecret ?? DEV_CLIENT_SECRET, organizationId: randomUUID() },
    {
      conversationId: randomUUID(),
      inputVariables: fixture.inputVariables,
      ...(fixture.language ? { language: fixture.language } : {}),
      autoPlayback: true,
      timeline: 'none',
    },
  );
  if (!connected.ok) {
    const reason = connected.code === 'HTTP_STATUS' ? `HTTP ${connected.status}` : connected.code === 'NETWORK' ? connected.message : connected.code;
    return { ok: false, code: 'ERR_REPLAY_CONNECT_FAILED', reason };
  }
  const { client } = connected;
  // What only the in-process runner can honour is said, not silently ignored.
  if (fixture.gateway.down || fixture.gateway.faults.length > 0) timeline.add('note', 'gateway faults are not applied live: the server\'s gateway answers');
  if (Object.keys(fixture.config).length > 0) timeline.add('note', 'config overrides are not applied live: the server\'s connector configuration rules');
  timeline.add('note', 'the transaction reference is the live gateway\'s own: it is checked for presence, not value');
  followClient(client, timeline, { botAudio: true });
  const caller = new ScriptedCaller(client, systemClock, script, { timeline, keepAudio: true });
  const bot = new AudioTrack();
  let callerStart = 0;
  let botCursor = 0;
  client.on('audio', (bytes) => {
    botCursor = Math.max(botCursor, Math.round(((performance.now() - callerStart) * 8000) / 1000));
    bot.put(botCursor, bytes);
    botCursor += bytes.length;
  });
  const ended = new Promise<void>((resolve) => client.once('ended', () => resolve()));
  timeline.add('caller', `opens ${target.url}`);
  const open = await client.open();
  if (open.code === 'OPENED') {
    callerStart = performance.now();
    caller.start();
  } else {
    timeline.add('protocol', `open failed: ${open.code}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    ended.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), fixture.maxSeconds * 1000))),
  ]);
  clearTimeout(timer);
  caller.stop();
  if (timedOut) {
    timeline.add('note', `the call did not end within ${fixture.maxSeconds} s`);
    await client.close('end');
  }
  const outputs = client.disconnectParameters?.outputVariables;
  if (outputs?.PAYHOOK_RESULT) timeline.add('outcome', `${outputs.PAYHOOK_RESULT}, next ${outputs.PAYHOOK_NEXT_ACTION ?? '?'}${outputs.PAYHOOK_FAILURE_REASON ? `, reason ${outputs.PAYHOOK_FAILURE_REASON}` : ''}`);
  const check = checkExpectation(fixture.expect, outputs, LIVE_UNPREDICTABLE_OUTPUTS);
  return {
    ok: true,
    result: {
      name,
      mode: 'live',
      timeline: timeline.events,
      outputVariables: outputs,
      check: timedOut ? { ok: false, differences: ['the call did not end in time', ...check.differences] } : check,
      durationMs: Math.round(performance.now() - t0),
      audio: { caller: caller.sentAudio(), bot: bot.bytes() },
    },
  };
}
