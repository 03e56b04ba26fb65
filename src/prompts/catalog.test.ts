import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS_DIR, catalogFor, loadCatalog } from './catalog.js';
import { CORE_CLIP_IDS } from './clip-ids.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import { LANGUAGES } from './languages.js';
import { MANIFEST_FILE, sha256Hex } from './manifest.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function copyOfCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'payhook-prompts-'));
  temps.push(dir);
  cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
  return dir;
}

describe('committed prompt catalog', () => {
  for (const language of LANGUAGES) {
    describe(language, () => {
      const catalog = loadCatalog(language, { verify: true });

      it('has every phrase of the dialog and every core vocabulary word', () => {
        const missing = CORE_CLIP_IDS.filter((id) => !catalog.has(id));
        expect(missing).toEqual([]);
      });

      it('was built from the current texts: every text has its clip, with the same words', () => {
        const texts = LANGUAGE_TEXTS[language].texts;
        expect(Object.keys(catalog.manifest.clips).sort()).toEqual(Object.keys(texts).sort());
        for (const [id, entry] of Object.entries(catalog.manifest.clips)) expect(entry.text, id).toBe(texts[id]);
      });

      it('matches its manifest: checksums, lengths, and no stray files', () => {
        const files = readdirSync(join(DEFAULT_PROMPTS_DIR, language)).filter((f) => f !== MANIFEST_FILE);
        expect(files.sort()).toEqual(Object.values(catalog.manifest.clips).map((c) => c.file).sort());
        for (const [id, entry] of Object.entries(catalog.manifest.clips)) {
          const bytes = catalog.clip(id);
          expect(sha256Hex(bytes), id).toBe(entry.sha256);
          expect(bytes.length, id).toBe(entry.samples);
          expect(entry.durationMs).toBe(entry.samples / 8);
        }
      });

      it('is 8 kHz mu-law leveled to one target, every clip within 1 dB of it', () => {
        expect(catalog.manifest.format).toEqual({ encoding: 'mulaw', sampleRate: 8000, container: 'raw' });
        for (const [id, entry] of Object.entries(catalog.manifest.clips)) {
          expect(Math.abs(entry.rmsDbfs - catalog.manifest.targetRmsDbfs), id).toBeLessThanOrEqual(1);
        }
      });
    });
  }

  it('stays compact: all clips together under 5 MB', () => {
    let bytes = 0;
    for (const language of LANGUAGES) {
      const dir = join(DEFAULT_PROMPTS_DIR, language);
      for (const f of readdirSync(dir)) bytes += statSync(join(dir, f)).size;
    }
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('loading', () => {
  it('picks the catalog by caller language, falling back to en-US, and loads each once', () => {
    expect(catalogFor('es-MX').language).toBe('es-US');
    expect(catalogFor('fr-FR').language).toBe('en-US');
    expect(catalogFor(undefined).language).toBe('en-US');
    expect(catalogFor('es-US')).toBe(catalogFor('ES-us'));
  });

  it('reports a missing language directory with a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payhook-empty-'));
    temps.push(dir);
    expect(() => loadCatalog('en-US', { dir })).toThrow(expect.objectContaining({ code: 'ERR_PROMPTS_CATALOG_MISSING' }));
  });

  it('detects a clip changed behind the manifest when verifying', () => {
    const dir = copyOfCatalog();
    writeFileSync(join(dir, 'en-US', 'num.7.ul'), new Uint8Array(100).fill(0xff));
    expect(() => loadCatalog('en-US', { dir })).not.toThrow();
    expect(() => loadCatalog('en-US', { dir, verify: true })).toThrow(expect.objectContaining({ code: 'ERR_PROMPTS_CLIP_CORRUPT' }));
  });

  it('refuses an unknown clip id with a typed error', () => {
    expect(() => catalogFor('en-US').clip('num.100')).toThrow(expect.objectContaining({ code: 'ERR_PROMPTS_CLIP_MISSING' }));
  });
});
