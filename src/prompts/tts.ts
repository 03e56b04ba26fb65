// Live text-to-speech for text a user configures (a custom greeting, say), rendered with the same
// voice and leveling as the catalog and cached by language + voice + text hash: in memory, and
// on disk when a cache directory is given, so each text is synthesized once per deployment.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderClip } from './build.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import type { VoiceSettings } from './lang/types.js';
import type { LanguageId } from './languages.js';
import { DEFAULT_TOOLS, toolVersions, type SpeechTools } from './synthesize.js';

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

/** Pure. The cache key: sha256 over language, voice and text (the text itself is not kept in the key). */
export function ttsCacheKey(language: LanguageId, voice: VoiceSettings, text: string): string {
  return createHash('sha256')
    .update(JSON.stringify([language, voice.espeak, voice.rate, voice.pitch, text]))
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
