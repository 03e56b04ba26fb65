// Presenting a replay: the readable text, the JSON document, and the WAV files for listening.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../audio/wav.js';
import type { ReplayResult } from './run-in-process.js';
import { formatTimeline } from './timeline.js';

/** Output variables worth showing; all are card-free by the dialog's contract. Pure. */
export function formatReplay(result: ReplayResult): string {
  const lines = [`# ${result.name} (${result.mode}, ${(result.durationMs / 1000).toFixed(3)} s of call)`, formatTimeline(result.timeline), ''];
  if (result.outputVariables) {
    lines.push('output variables:');
    for (const [k, v] of Object.entries(result.outputVariables)) lines.push(`  ${k}=${v}`);
  } else {
    lines.push('output variables: none (the call gave no result)');
  }
  lines.push(result.check.ok ? 'expectation: met' : `expectation: NOT met\n${result.check.differences.map((d) => `  - ${d}`).join('\n')}`);
  return lines.join('\n');
}

/** The JSON form: everything but the audio. Pure. */
export function replayJson(result: ReplayResult): string {
  const { audio: _audio, ...rest } = result;
  return JSON.stringify(rest, null, 2);
}

/** Writes caller.wav and bot.wav (8 kHz mu-law, same time origin); returns the paths. */
export function writeReplayAudio(result: ReplayResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Array<[string, Uint8Array]> = [
    [join(dir, `${result.name}.caller.wav`), result.audio.caller],
    [join(dir, `${result.name}.bot.wav`), result.audio.bot],
  ];
  for (const [path, bytes] of files) writeFileSync(path, encodeWav('mulaw', 1, 8000, bytes));
  return files.map(([p]) => p);
}
