// `payhook prompts build`: renders every clip of every language with espeak-ng and sox, levels
// and trims it, checks it for DTMF talk-off, and writes <dir>/<language>/<id>.ul (raw 8 kHz mu-law)
// plus manifest.json. The output is committed, so running the server never needs the synthesizer.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mulawEncode } from '../audio/g711.js';
import { PayhookError } from '../core/errors.js';
import { PROMPTS_ERRORS } from './errors.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import type { LanguageId } from './languages.js';
import { normalizeLevel, trimSilence } from './level.js';
import { MANIFEST_FILE, clipFileName, sha256Hex, type ClipEntry, type Manifest } from './manifest.js';
import { DEFAULT_TOOLS, synthesizeSpeech, toolVersions, type SpeechTools } from './synthesize.js';
import { TALK_OFF_CHECK, talkOffFindings, type TalkOffFinding } from './talk-off.js';

/** Speech level of every clip (active RMS). About -17 dBm0: a comfortable telephone level. */
export const TARGET_RMS_DBFS = -20;

export interface BuildOptions {
  dir: string;
  languages: readonly LanguageId[];
  /** Parallel synthesizer runs; keep low on shared machines. */
  concurrency?: number;
  onProgress?: (language: LanguageId, done: number, total: number) => void;
  /** Build only these clip ids (a partial manifest; for tests and quick checks). */
  only?: readonly string[];
}

export interface BuildReport {
  language: LanguageId;
  clips: number;
  bytes: number;
  durationMs: number;
}

/**
 * Talk-off variants: espeak-ng pitch offsets (-p units; one unit moves the voice's F0 by about
 * 0.85 %, so +-10 is about +-1.4 semitones), tried in this order until a rendering passes the talk-off
 * check (talk-off.ts). Speech reads as a key press when two harmonics of a vowel sit on a row and a
 * column frequency (852 + 1477 Hz reads as 9); moving F0 by a percent or two moves the harmonics off
 * them, while the words, formants, pace and level stay (a clip's trimmed length moves by at most
 * 60 ms). The alternatives are worse: notching the DTMF frequencies out of every clip colours the
 * whole voice, and attenuating the flagged spots leaves audible dips. The first entry is the voice itself, so a clip that passes
 * is byte for byte what it was without the check; the order is fixed, so a rebuild picks the same
 * variant on the same tool versions. Of the 442 clips, 69 needed a variant: 60 of them 2 or 4 units,
 * none more than 10.
 */
export const PITCH_VARIANTS: readonly number[] = [0, -2, 2, -4, 4, -6, 6, -8, 8, -10, 10];

export interface RenderedClip {
  mulaw: Uint8Array;
  rmsDbfs: number;
  /** The PITCH_VARIANTS entry used (0: the voice as configured). */
  pitchOffset: number;
  /** What the talk-off check still finds: empty unless no variant passed (then the variant with the fewest). */
  findings: TalkOffFinding[];
}

/** Synthesizes one clip once: speech, trimmed to its edges, leveled, as mu-law. */
async function renderOnce(text: string, voice: Manifest['voice'], tools: SpeechTools): Promise<{ mulaw: Uint8Array; rmsDbfs: number }> {
  const speech = trimSilence(await synthesizeSpeech(text, voice, tools));
  const leveled = normalizeLevel(speech, TARGET_RMS_DBFS);
  return { mulaw: mulawEncode(leveled.samples), rmsDbfs: leveled.rmsDbfs };
}

/**
 * Synthesizes one clip (speech, trimmed, leveled, as mu-law) that no DTMF decoder reads as a key
 * press: the first PITCH_VARIANTS rendering that passes the talk-off check. If none passes, returns
 * the one with the fewest findings (the earliest of equals) with its findings; the catalog build
 * refuses it, live TTS plays it.
 */
export async function renderClip(text: string, voice: Manifest['voice'], tools: SpeechTools = DEFAULT_TOOLS): Promise<RenderedClip> {
  let best: RenderedClip | undefined;
  for (const pitchOffset of PITCH_VARIANTS) {
    const pitch = voice.pitch + pitchOffset;
    if (pitch < 0 || pitch > 99) continue; // espeak-ng's range
    const rendered = await renderOnce(text, { ...voice, pitch }, tools);
    const findings = talkOffFindings(rendered.mulaw);
    const clip = { ...rendered, pitchOffset, findings };
    if (findings.length === 0) return clip;
    if (!best || findings.length < best.findings.length) best = clip;
  }
  return best!;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function buildCatalog(options: BuildOptions): Promise<BuildReport[]> {
  const versions = await toolVersions();
  if (!versions) throw new PayhookError('ERR_PROMPTS_TTS_UNAVAILABLE', PROMPTS_ERRORS.ERR_PROMPTS_TTS_UNAVAILABLE);
  const reports: BuildReport[] = [];
  for (const language of options.languages) {
    const { voice, texts } = LANGUAGE_TEXTS[language];
    const dir = join(options.dir, language);
    await mkdir(dir, { recursive: true });
    const ids = Object.keys(texts)
      .filter((id) => !options.only || options.only.includes(id))
      .sort();
    let done = 0;
    const entries = await mapLimited(ids, options.concurrency ?? 2, async (id): Promise<[string, ClipEntry]> => {
      const text = texts[id]!;
      const { mulaw, rmsDbfs, pitchOffset, findings } = await renderClip(text, voice);
      if (findings.length > 0) {
        // Names the clip, never its text. Widen PITCH_VARIANTS or reword the text.
        throw new PayhookError('ERR_PROMPTS_TTS_FAILED', PROMPTS_ERRORS.ERR_PROMPTS_TTS_FAILED, {
          reason: 'dtmf_talk_off',
          language,
          clip: id,
          findings: findings.slice(0, 5).map((f) => `${f.check}:${f.digit}@${f.atSample}`),
        });
      }
      const file = clipFileName(id);
      await writeFile(join(dir, file), mulaw);
      options.onProgress?.(language, ++done, ids.length);
      const entry: ClipEntry = { file, text, samples: mulaw.length, durationMs: mulaw.length / 8, sha256: sha256Hex(mulaw), rmsDbfs: Math.round(rmsDbfs * 100) / 100 };
      if (pitchOffset !== 0) entry.variant = { pitchOffset };
      return [id, entry];
    });
    const manifest: Manifest = {
      language,
      format: { encoding: 'mulaw', sampleRate: 8000, container: 'raw' },
      voice,
      synthesizer: `${versions.espeak}; ${versions.sox}`,
      targetRmsDbfs: TARGET_RMS_DBFS,
      talkOff: { ...TALK_OFF_CHECK, pitchVariants: [...PITCH_VARIANTS] },
      clips: Object.fromEntries(entries),
    };
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
    // Clips of words that left the vocabulary would otherwise linger in the package.
    const keep = new Set([MANIFEST_FILE, ...entries.map(([, e]) => e.file)]);
    for (const name of await readdir(dir)) if (name.endsWith('.ul') && !keep.has(name)) await rm(join(dir, name));
    reports.push({
      language,
      clips: entries.length,
      bytes: entries.reduce((a, [, e]) => a + e.samples, 0),
      durationMs: entries.reduce((a, [, e]) => a + e.durationMs, 0),
    });
  }
  return reports;
}
