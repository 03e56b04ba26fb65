// `payhook prompts build`: renders every clip of every language with espeak-ng and sox, levels
// and trims it, and writes <dir>/<language>/<id>.ul (raw 8 kHz mu-law) plus manifest.json.
// The output is committed, so running the server never needs the synthesizer.
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

/** Synthesizes one clip: speech, trimmed to its edges, leveled, as mu-law. */
export async function renderClip(
  text: string,
  voice: Manifest['voice'],
  tools: SpeechTools = DEFAULT_TOOLS,
): Promise<{ mulaw: Uint8Array; rmsDbfs: number }> {
  const speech = trimSilence(await synthesizeSpeech(text, voice, tools));
  const leveled = normalizeLevel(speech, TARGET_RMS_DBFS);
  return { mulaw: mulawEncode(leveled.samples), rmsDbfs: leveled.rmsDbfs };
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
      const { mulaw, rmsDbfs } = await renderClip(text, voice);
      const file = clipFileName(id);
      await writeFile(join(dir, file), mulaw);
      options.onProgress?.(language, ++done, ids.length);
      const entry = { file, text, samples: mulaw.length, durationMs: mulaw.length / 8, sha256: sha256Hex(mulaw), rmsDbfs: Math.round(rmsDbfs * 100) / 100 };
      return [id, entry];
    });
    const manifest: Manifest = {
      language,
      format: { encoding: 'mulaw', sampleRate: 8000, container: 'raw' },
      voice,
      synthesizer: `${versions.espeak}; ${versions.sox}`,
      targetRmsDbfs: TARGET_RMS_DBFS,
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
