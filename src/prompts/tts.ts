// Live text-to-speech for text a user configures (a custom greeting, say), rendered with the same
// voice, leveling and DTMF talk-off check as the catalog (renderClip in build.ts) and cached by
// language + voice + text hash: in memory, and on disk when a cache directory is given, so each text
// is synthesized once per deployment.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PITCH_VARIANTS, renderClip } from './build.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import type { VoiceSettings } from './lang/types.js';
import type { LanguageId } from './languages.js';
import { DEFAULT_TOOLS, toolVersions, type SpeechTools } from './synthesize.js';
import { TALK_OFF_CHECK } from './talk-off.js';

export interface TtsProvider {
  /** 8 kHz mu-law speech of `text`. Rejects with ERR_PROMPTS_TTS_UNAVAILABLE or ERR_PROMPTS_TTS_FAILED. */
  render(text: string, language: LanguageId): Promise<Uint8Array>;
}

export interface EspeakTtsOptions {
  cacheDir?: string;
  /** Voice per language; defaults to the catalog's voices so live text matches the clips. */
  voices?: Partial<Record<LanguageId, VoiceSettings>>;
  tools?: SpeechTools;
}

/**
 * Pure. The cache key: sha256 over language, voice and text (the text itself is not kept in the key),
 * and the talk-off check and its variants, so that a change to them (or an upgrade from a version
 * without the check) renders again instead of serving a clip that was not checked the same way.
 */
export function ttsCacheKey(language: LanguageId, voice: VoiceSettings, text: string): string {
  return createHash('sha256')
    .update(JSON.stringify([language, voice.espeak, voice.rate, voice.pitch, text, TALK_OFF_CHECK, PITCH_VARIANTS]))
    .digest('hex');
}

/** Whether espeak-ng and sox can be run here. */
export async function liveTtsAvailable(tools: SpeechTools = DEFAULT_TOOLS): Promise<boolean> {
  return (await toolVersions(tools)) !== null;
}

export class EspeakTts implements TtsProvider {
  readonly #options: EspeakTtsOptions;
  readonly #memory = new Map<string, Promise<Uint8Array>>();
  #renders = 0;

  constructor(options: EspeakTtsOptions = {}) {
    this.#options = options;
  }

  /** How many times the synthesizer actually ran (cache misses). */
  get renders(): number {
    return this.#renders;
  }

  render(text: string, language: LanguageId): Promise<Uint8Array> {
    const voice = this.#options.voices?.[language] ?? LANGUAGE_TEXTS[language].voice;
    const key = ttsCacheKey(language, voice, text);
    let pending = this.#memory.get(key);
    if (!pending) {
      pending = this.#load(key, text, voice);
      this.#memory.set(key, pending);
      // A failure is not cached: the tool may be installed or fixed later.
      pending.catch(() => this.#memory.delete(key));
    }
    return pending;
  }

  async #load(key: string, text: string, voice: VoiceSettings): Promise<Uint8Array> {
    const dir = this.#options.cacheDir;
    const path = dir ? join(dir, `${key}.ul`) : undefined;
    if (path) {
      try {
        return new Uint8Array(await readFile(path));
      } catch {
        // Not cached yet.
      }
    }
    this.#renders++;
    // The first pitch variant that passes the talk-off check; if none does (not seen on the catalog's
    // texts), the one with the fewest findings: a greeting is still spoken, and the recorder masks
    // what its detector suspects on the bot channel.
    const { mulaw } = await renderClip(text, voice, this.#options.tools);
    if (dir && path) {
      await mkdir(dir, { recursive: true });
      // Write then rename, so a concurrent reader never sees half a clip.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, mulaw);
      await rename(tmp, path);
    }
    return mulaw;
  }
}
