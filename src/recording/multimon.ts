// The independent auditor: multimon-ng's DTMF decoder (a lenient one: it reports tones of 20 ms or so)
// run over a WAV through sox. Used by the tests and src/recording/figures.ts; needs the Debian
// packages sox and multimon-ng.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Digits multimon-ng hears in one channel (1-based) of a WAV file's bytes, in order. */
export async function multimonDigits(wavBytes: Uint8Array, channel = 1): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'payhook-multimon-'));
  try {
    const file = join(dir, 'in.wav');
    await writeFile(file, wavBytes);
    const text = await pipeline(file, channel);
    const digits: string[] = [];
    for (const m of text.matchAll(/^DTMF: ([0-9A-D*#])$/gm)) digits.push(m[1]!);
    return digits;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pipeline(file: string, channel: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sox = spawn('sox', [file, '-t', 'raw', '-r', '22050', '-e', 'signed', '-b', '16', '-c', '1', '-', 'remix', String(channel)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const mm = spawn('multimon-ng', ['-q', '-t', 'raw', '-a', 'DTMF', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    sox.stdout.pipe(mm.stdin);
    let out = '';
    let err = '';
    mm.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    sox.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    sox.on('error', reject);
    mm.on('error', reject);
    mm.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`multimon-ng exited ${code}: ${err.slice(0, 200)}`))));
  });
}
