// `payhook detect [--json] [--ulaw] FILE...`: finds the DTMF digits in recordings, each channel separately.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { alawDecode } from '../../audio/g711.js';
import { parseWav, type WavAudio } from '../../audio/wav.js';
import { createDtmfDetector, type DtmfDetector } from '../../dtmf/detector.js';
import type { DtmfEvent } from '../../dtmf/events.js';

export const description = 'find the DTMF digits in WAV or raw mu-law recordings';
export const usage = `usage: payhook detect [--json] [--ulaw] FILE...

Reads WAV files (PCM16, mu-law or A-law; 8 kHz; mono or multi-channel, each channel detected on its own),
or headerless 8 kHz mono mu-law with --ulaw. For each channel prints one line per digit
(digit, start ms, end ms, level of the low tone in dBm0) and the channel's digit string as its last line.

  --json   one JSON object per digit instead: {"file","channel","digit","start_ms","end_ms","level_dbm0"}
  --ulaw   the files are raw mu-law (no header), 8000 Hz mono`;

interface Found {
  digit: string;
  startMs: number;
  endMs: number;
  levelDbm0: number;
}

const ms = (samples: number): number => Math.round((samples / 8) * 10) / 10;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, ulaw: { type: 'boolean' } } });
  } catch (err) {
    console.error(`payhook detect: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    console.error(usage);
    return 2;
  }
  let status = 0;
  for (const file of files) {
    let audio: WavAudio;
    try {
      const bytes = readFileSync(file);
      audio = parsed.values.ulaw ? { encoding: 'mulaw', sampleRate: 8000, channels: 1, data: bytes } : parseWav(bytes);
      if (audio.sampleRate !== 8000) throw new Error(`sample rate ${audio.sampleRate} Hz; need 8000 (resample with sox -r 8000)`);
      if (audio.channels < 1 || audio.channels > 8) throw new Error(`${audio.channels} channels; at most 8`);
    } catch (err) {
      console.error(`payhook detect: ${file}: ${(err as Error).message}`);
      status = 1;
      continue;
    }
    const perChannel = detectAll(audio);
    perChannel.forEach((found, channel) => {
      if (parsed.values.json) {
        for (const f of found) {
          console.log(JSON.stringify({ file, channel, digit: f.digit, start_ms: f.startMs, end_ms: f.endMs, level_dbm0: f.levelDbm0 }));
        }
        return;
      }
      if (files.length > 1 || perChannel.length > 1) console.log(`${file} (channel ${channel}):`);
      for (const f of found) console.log(`${f.digit}\t${f.startMs}\t${f.endMs}\t${f.levelDbm0}`);
      console.log(found.map((f) => f.digit).join(''));
    });
  }
  return status;
}

/** Digits of every channel of one recording, in order. */
export function detectAll(audio: WavAudio): Found[][] {
  const detector: DtmfDetector =
    audio.encoding === 'mulaw'
      ? createDtmfDetector({ channels: audio.channels, encoding: 'mulaw' })
      : createDtmfDetector({ channels: audio.channels, encoding: 'pcm16' });
  const found: Found[][] = Array.from({ length: audio.channels }, () => []);
  const open: (Found | undefined)[] = [];
  const onEvent = (e: DtmfEvent): void => {
    if (e.type === 'digit') {
      const f = { digit: e.digit, startMs: ms(e.startSample), endMs: ms(e.detectedAtSample), levelDbm0: e.levelDbm0 };
      found[e.channel]!.push(f);
      open[e.channel] = f;
    } else if (e.type === 'digitend' && open[e.channel]) {
      open[e.channel]!.endMs = ms(e.endSample);
      open[e.channel] = undefined;
    }
  };
  const data = audio.encoding === 'alaw' ? alawDecode(audio.data) : audio.data;
  const frame = audio.channels * (audio.encoding === 'mulaw' ? 1 : 2);
  detector.process(data instanceof Int16Array ? data : data.subarray(0, data.length - (data.length % frame)), onEvent);
  detector.flush(onEvent);
  detector.close();
  return found;
}
