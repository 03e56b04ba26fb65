// The prompt catalog: a language's clips, loaded once (synchronously, at first use) from
// fixtures/prompts/<language>/ and kept in memory for every call in that language.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PayhookError } from '../core/errors.js';
import type { ClipId } from './clip-ids.js';
import { PROMPTS_ERRORS } from './errors.js';
import { resolveLanguage, type LanguageId } from './languages.js';
import { MANIFEST_FILE, sha256Hex, type Manifest } from './manifest.js';

/** fixtures/prompts at the package root; the same relative path from src/prompts and dist/prompts. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../fixtures/prompts/', import.meta.url));

export class PromptCatalog {
  readonly language: LanguageId;
  readonly manifest: Manifest;
  readonly #clips: ReadonlyMap<ClipId, Uint8Array>;

  constructor(manifest: Manifest, clips: ReadonlyMap<ClipId, Uint8Array>) {
    this.language = manifest.language;
    this.manifest = manifest;
    this.#clips = clips;
  }

  has(id: ClipId): boolean {
    return this.#clips.has(id);
  }

  ids(): ClipId[] {
    return [...this.#clips.keys()];
  }

  /** The clip's mu-law bytes (shared: do not modify). Throws ERR_PROMPTS_CLIP_MISSING. */
  clip(id: ClipId): Uint8Array {
    const bytes = this.#clips.get(id);
    if (!bytes) throw new PayhookError('ERR_PROMPTS_CLIP_MISSING', PROMPTS_ERRORS.ERR_PROMPTS_CLIP_MISSING, { language: this.language, clip: id });
    return bytes;
  }
}

export interface LoadOptions {
  dir?: string;
  /** Check every clip against its manifest checksum while loading (costs a hash per clip). */
  verify?: boolean;
}

/** Reads a language's manifest and clips. Throws ERR_PROMPTS_CATALOG_MISSING / _CLIP_MISSING / _CLIP_CORRUPT. */
export function loadCatalog(language: LanguageId, options: LoadOptions = {}): PromptCatalog {
  const dir = join(options.dir ?? DEFAULT_PROMPTS_DIR, language);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new PayhookError('ERR_PROMPTS_CATALOG_MISSING', PROMPTS_ERRORS.ERR_PROMPTS_CATALOG_MISSING, { language, dir });
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const clips = new Map<ClipId, Uint8Array>();
  for (const [id, entry] of Object.entries(manifest.clips)) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) throw new PayhookError('ERR_PROMPTS_CLIP_MISSING', PROMPTS_ERRORS.ERR_PROMPTS_CLIP_MISSING, { language, clip: id });
    const bytes = new Uint8Array(readFileSync(path));
    if (options.verify && sha256Hex(bytes) !== entry.sha256) {
      throw new PayhookError('ERR_PROMPTS_CLIP_CORRUPT', PROMPTS_ERRORS.ERR_PROMPTS_CLIP_CORRUPT, { language, clip: id });
    }
    clips.set(id, bytes);
  }
  return new PromptCatalog(manifest, clips);
}

const loaded = new Map<string, PromptCatalog>();

/**
 * The catalog for a caller's language tag (e.g. the `language` of `open`), resolved with
 * fallback to en-US; loaded on first use and shared afterwards.
 */
export function catalogFor(languageTag?: string | null, dir: string = DEFAULT_PROMPTS_DIR): PromptCatalog {
  const language = resolveLanguage(languageTag);
  const key = `${dir}\0${language}`;
  let catalog = loaded.get(key);
  if (!catalog) {
    catalog = loadCatalog(language, { dir });
    loaded.set(key, catalog);
  }
  return catalog;
}
