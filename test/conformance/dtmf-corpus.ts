// Shared helpers for the DTMF conformance tests: external tools and corpora, with the CI policy that a
// missing Debian package fails in CI (CI=true) and skips, with a message, on a developer machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWav, wavToLinear } from '../../src/audio/wav.js';
import { IN_CI } from '../helpers/environment.js';

export { IN_CI };

/** Names of the missing commands. */
export function missingCommands(...names: string[]): string[] {
  return names.filter((name) => {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** Explains what is missing; throws in CI so the run fails, returns true (skip) locally. */
export function skipBecause(what: string[], install: string): boolean {
  if (what.length === 0) return false;
  const message = `DTMF conformance: missing ${what.join(', ')}; install with: ${install}`;
  if (IN_CI) throw new Error(message);
  console.warn(`${message} (skipping; this fails in CI)`);
  return true;
}

/** Every 8 kHz mono WAV under `dir`, in name order, as linear samples; [] when the directory is absent. */
export function wavCorpus(dir: string): { name: string; samples: Int16Array }[] {
  if (!existsSync(dir)) return [];
  const out: { name: string; samples: Int16Array }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wav')) {
        const wav = parseWav(readFileSync(p));
        if (wav.sampleRate === 8000 && wav.channels === 1) out.push({ name: p, samples: wavToLinear(wav) });
      }
    }
  };
  walk(dir);
  return out;
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
