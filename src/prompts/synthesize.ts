// Speech synthesis at the edge: espeak-ng renders text, sox resamples it to 8 kHz and limits the
// band to telephony. Both run as separate executables (espeak-ng is GPL; nothing is linked).
import { spawn } from 'node:child_process';
import { PayhookError } from '../core/errors.js';
import { PROMPTS_ERRORS } from './errors.js';
import type { VoiceSettings } from './lang/types.js';

/** The executables; tests point them elsewhere to prove the missing-tool error. */
export interface SpeechTools {
  espeak: string;
  sox: string;
}
export const DEFAULT_TOOLS: SpeechTools = { espeak: 'espeak-ng', sox: 'sox' };

function run(cmd: string, args: string[], input: Uint8Array | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code === 'ENOENT' ? 'ERR_PROMPTS_TTS_UNAVAILABLE' : 'ERR_PROMPTS_TTS_FAILED';
      reject(new PayhookError(code, PROMPTS_ERRORS[code], { tool: cmd }, { cause: e }));
    });
    child.on('close', (status) => {
      if (status === 0) resolve(Buffer.concat(out));
      // stderr of these tools names options and files, never the spoken text.
      else
        reject(
          new PayhookError('ERR_PROMPTS_TTS_FAILED', PROMPTS_ERRORS.ERR_PROMPTS_TTS_FAILED, {
            tool: cmd,
            status,
            stderr: Buffer.concat(err).toString('utf8').slice(0, 500),
          }),
        );
    });
    child.stdin.on('error', () => {
      // The child exited before reading everything; its exit status reports the failure.
    });
    child.stdin.end(input);
  });
}

/** Speaks `text` and returns 8 kHz mono PCM16, band-limited to 100-3600 Hz (not yet trimmed or leveled). */
export async function synthesizeSpeech(text: string, voice: VoiceSettings, tools: SpeechTools = DEFAULT_TOOLS): Promise<Int16Array> {
  // Text goes through stdin so that nothing in it can be read as an option.
  const wav = await run(tools.espeak, ['-v', voice.espeak, '-s', String(voice.rate), '-p', String(voice.pitch), '--stdin', '--stdout'], text);
  // -D: no dither, so a rebuild reproduces the committed clips byte for byte.
  const raw = await run(tools.sox, ['-D', '-t', 'wav', '-', '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', '8000', '-', 'highpass', '100', 'lowpass', '3600'], wav);
  const samples = new Int16Array(raw.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = raw.readInt16LE(i * 2);
  return samples;
}

/** Versions of the tools, for the manifest; null when one is missing. */
export async function toolVersions(tools: SpeechTools = DEFAULT_TOOLS): Promise<{ espeak: string; sox: string } | null> {
  try {
    const espeak = (await run(tools.espeak, ['--version'], '')).toString('utf8').split(/\s+Data at/)[0]!.trim();
    const sox = (await run(tools.sox, ['--version'], '')).toString('utf8').trim().replace(/^sox:\s*/, '');
    return { espeak, sox };
  } catch {
    return null;
  }
}
