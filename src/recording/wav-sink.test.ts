import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelOf, encodeWav, parseWav, WAV_HEADER_BYTES } from '../audio/wav.js';
import { Recorder } from './recorder.js';
import { repairRecordings } from './repair.js';
import { generateCall } from './test-calls.js';
import { createWavSink } from './wav-sink.js';
import type { Sidecar } from './sidecar.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function feed(recorder: Recorder, caller: Uint8Array, bot: Uint8Array, upTo = caller.length) {
  recorder.writeBot(bot.subarray(0, upTo), 0);
  for (let p = 0; p < upTo; p += 160) recorder.writeCaller(caller.subarray(p, Math.min(upTo, p + 160)), p);
}

describe('WAV file sink', () => {
  const call = generateCall({ seconds: 6, seed: 5 });

  it('writes a stereo mu-law file equal to the masked stream, and a sidecar without digits', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-rec-'));
    const path = join(dir, 'call-1.wav');
    const chunks: Uint8Array[] = [];
    const recorder = new Recorder({ sinks: [createWavSink({ path })] });
    recorder.on('chunk', (c) => chunks.push(c.stereo));
    recorder.openSecureWindow('card_number', 8000);
    feed(recorder, call.caller, call.bot, 16000);
    recorder.closeSecureWindow('card_number', 16000);
    feed(recorder, call.caller.subarray(16000), call.bot.subarray(16000), call.caller.length - 16000);
    const result = await recorder.close();
    const wav = parseWav(new Uint8Array(await readFile(path)));
    expect(wav).toMatchObject({ encoding: 'mulaw', channels: 2, sampleRate: 8000 });
    expect(Buffer.from(wav.data).equals(Buffer.concat(chunks))).toBe(true);
    const header = new DataView(wav.data.buffer, 0, WAV_HEADER_BYTES);
    expect(header.getUint32(40, true)).toBe(wav.data.length);
    const sidecarText = await readFile(join(dir, 'call-1.masks.json'), 'utf8');
    const sidecar = JSON.parse(sidecarText) as Sidecar;
    expect(sidecar.complete).toBe(true);
    expect(sidecar.durationSamples).toBe(result.durationSamples);
    expect(sidecar.spans!.find((s) => s.reason === 'secure_window')).toMatchObject({ startSample: 8000, endSample: 16000, startMs: 1000, endMs: 2000, label: 'card_number' });
    expect(sidecar.spans!.some((s) => s.reason === 'dtmf')).toBe(true);
    expect(sidecarText).not.toMatch(/"(digit|key)"/);
  });

  it('a crash leaves a playable file; repairRecordings fixes its header and marks the sidecar incomplete', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-rec-'));
    const path = join(dir, 'crashed.wav');
    const sink = createWavSink({ path, writeEveryBytes: 3200, patchEveryBytes: 30000 });
    const recorder = new Recorder({ sinks: [sink] });
    feed(recorder, call.caller, call.bot, 8000 * 3 + 77);
    await sink.sync();
    await sink.abandon(); // no close(): the process "died" here
    // A torn write: half a stereo sample frame at the end.
    await writeFile(path, new Uint8Array([0x7f]), { flag: 'a' });
    const before = new DataView((await readFile(path)).buffer);
    expect(before.getUint32(40, true)).toBeLessThan((await stat(path)).size - WAV_HEADER_BYTES - 1);
    // Readable even before repair (size fields behind the data are tolerated).
    const raw = parseWav(new Uint8Array(await readFile(path)));
    expect(raw.channels).toBe(2);

    const reports = await repairRecordings(dir);
    expect(reports).toEqual([{ path, outcome: 'repaired', dataBytes: sink.dataBytes }]);
    const bytes = new Uint8Array(await readFile(path));
    const wav = parseWav(bytes);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    expect(v.getUint32(40, true)).toBe(wav.data.length);
    expect(v.getUint32(4, true)).toBe(bytes.length - 8);
    expect(wav.data.length).toBe(sink.dataBytes);
    expect(channelOf(wav.data, 2, 0).length).toBe((8000 * 3 + 77 - 640));
    const sidecar = JSON.parse(await readFile(join(dir, 'crashed.masks.json'), 'utf8')) as Sidecar;
    expect(sidecar).toMatchObject({ complete: false, spans: null, durationSamples: wav.data.length / 2 });
    // A second pass finds nothing to do.
    expect((await repairRecordings(dir))[0]!.outcome).toBe('ok');
  });

  it('repair leaves complete files and foreign files alone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'payhook-rec-'));
    await writeFile(join(dir, 'fine.wav'), encodeWav('mulaw', 1, 8000, new Uint8Array(800).fill(0xff)));
    await writeFile(join(dir, 'junk.wav'), 'not a wav file at all');
    const reports = await repairRecordings(dir);
    expect(reports.map((r) => r.outcome)).toEqual(['ok', 'skipped']);
  });

  it('a sink that cannot open its file is detached and the recording goes on', async () => {
    const failed: string[] = [];
    const good: number[] = [];
    const recorder = new Recorder({ sinks: [createWavSink({ path: '/nonexistent-dir/x.wav', writeEveryBytes: 320 })] });
    recorder.on('sinkfailed', (name) => failed.push(name));
    recorder.on('chunk', (c) => good.push(c.samples));
    feed(recorder, call.caller, call.bot, 4000);
    await new Promise((r) => setTimeout(r, 20));
    feed(recorder, call.caller.subarray(4000), call.bot.subarray(4000), 4000);
    await recorder.close();
    expect(failed).toEqual(['wav']);
    expect(good.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
