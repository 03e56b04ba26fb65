// Reads a fixture file (or a bare WAV, as a one-step fixture) and loads the audio its steps play,
// with WAV paths resolved against the fixture's folder.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadCallerWav } from './caller-audio.js';
import { parseFixture, type Fixture, type FixtureIssue } from './fixture.js';
import type { CallerScript, ScriptStep } from './scripted-caller.js';

export interface LoadedFixture {
  readonly name: string;
  readonly fixture: Fixture;
  readonly script: CallerScript;
}

export type FixtureLoad =
  | { ok: true; loaded: LoadedFixture }
  | { ok: false; code: 'ERR_REPLAY_FIXTURE_INVALID' | 'ERR_REPLAY_FIXTURE_UNREADABLE'; issues: FixtureIssue[] };

/** Loads FILE.json as a fixture, or FILE.wav as "identified caller, 25.00, play the file, wait". */
export function loadFixtureFile(path: string): FixtureLoad {
  if (/\.wav$/i.test(path)) return fromRaw(wavFixture(basename(path)), dirname(path), basename(path));
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? `not JSON: ${err.message}` : ((err as NodeJS.ErrnoException).code ?? 'read failed');
    return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', issues: [{ path: '(file)', message: reason }] };
  }
  return fromRaw(raw, dirname(path), basename(path).replace(/\.json$/i, ''));
}

/** Validates a parsed fixture and loads its audio; `dir` anchors relative WAV paths. */
export function fromRaw(raw: unknown, dir: string, name: string): FixtureLoad {
  const parsed = parseFixture(raw);
  if (!parsed.ok) return { ok: false, code: parsed.code, issues: parsed.issues };
  const { fixture } = parsed;
  const steps: ScriptStep[] = [];
  const issues: FixtureIssue[] = [];
  fixture.steps.forEach((step, i) => {
    if (step.do !== 'play') return void steps.push(step);
    const wav = loadCallerWav(resolve(dir, step.wav));
    if (!wav.ok) return void issues.push({ path: `steps.${i}.wav`, message: `${step.wav}: ${wav.reason}` });
    steps.push({ do: 'play', name: step.wav, samples: wav.samples, ...(step.text ? { text: step.text } : {}) });
  });
  if (issues.length > 0) return { ok: false, code: 'ERR_REPLAY_FIXTURE_UNREADABLE', issues };
  const script: CallerScript = {
    steps,
    keying: fixture.keying,
    tone: fixture.tone,
    ...(fixture.noiseDbm0 === undefined ? {} : { noiseDbm0: fixture.noiseDbm0 }),
  };
  return { ok: true, loaded: { name, fixture, script } };
}

function wavFixture(file: string): unknown {
  return {
    description: `caller side from ${file}`,
    inputVariables: { PAYHOOK_MODE: 'automated', PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_AMOUNT: '25.00' },
    steps: [{ do: 'play', wav: file }, { do: 'wait', seconds: 30 }],
  };
}
