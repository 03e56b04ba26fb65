import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulawDecode } from '../audio/g711.js';
import { DEFAULT_PROMPTS_DIR, loadCatalog } from './catalog.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import { activeRmsDbfs } from './level.js';
import { toolVersions } from './synthesize.js';
import { talkOffFindings } from './talk-off.js';
import { EspeakTts, liveTtsAvailable, ttsCacheKey } from './tts.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'payhook-tts-'));
  temps.push(d);
  return d;
};

const voice = LANGUAGE_TEXTS['en-US'].voice;

describe('ttsCacheKey', () => {
  it('differs by language, voice and text, and hides the text', () => {
    const key = ttsCacheKey('en-US', voice, 'Thanks for calling Acme.');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(ttsCacheKey('en-US', voice, 'Thanks for calling Acme.')).toBe(key);
    expect(ttsCacheKey('es-US', voice, 'Thanks for calling Acme.')).not.toBe(key);
    expect(ttsCacheKey('en-US', { ...voice, rate: voice.rate + 1 }, 'Thanks for calling Acme.')).not.toBe(key);
    expect(ttsCacheKey('en-US', voice, 'Thanks for calling Acme!')).not.toBe(key);
  });
});

describe('EspeakTts', () => {
  it('fails with a typed error when espeak-ng is not installed', async () => {
    const tts = new EspeakTts({ tools: { espeak: '/nonexistent/espeak-ng', sox: 'sox' } });
    await expect(tts.render('Hello', 'en-US')).rejects.toMatchObject({ code: 'ERR_PROMPTS_TTS_UNAVAILABLE' });
    expect(await liveTtsAvailable({ espeak: '/nonexistent/espeak-ng', sox: 'sox' })).toBe(false);
  });

  it('renders text at the catalog level and synthesizes each text once, in memory and on disk', async (ctx) => {
    if (!(await liveTtsAvailable())) ctx.skip();
    const cacheDir = tempDir();
    const tts = new EspeakTts({ cacheDir });
    const [a, b] = await Promise.all([tts.render('Thanks for calling Acme.', 'en-US'), tts.render('Thanks for calling Acme.', 'en-US')]);
    expect(a).toBe(b);
    expect(tts.renders).toBe(1);
    expect(a.length / 8000).toBeGreaterThan(0.5);
    expect(activeRmsDbfs(mulawDecode(a))).toBeCloseTo(-20, 0);
    expect(readdirSync(cacheDir)).toEqual([`${ttsCacheKey('en-US', voice, 'Thanks for calling Acme.')}.ul`]);

    const second = new EspeakTts({ cacheDir });
    expect(await second.render('Thanks for calling Acme.', 'en-US')).toEqual(a);
    expect(second.renders).toBe(0);
  });

  it('goes through the catalog talk-off check: "nine" comes out as the committed clip, a pitch variant', async (ctx) => {
    const catalog = loadCatalog('en-US');
    const versions = await toolVersions();
    if (!versions || `${versions.espeak}; ${versions.sox}` !== catalog.manifest.synthesizer) ctx.skip();
    const entry = catalog.manifest.clips['num.9']!;
    expect(entry.variant).toBeDefined();
    const clip = await new EspeakTts().render(entry.text, 'en-US');
    expect(talkOffFindings(clip)).toEqual([]);
    expect(clip).toEqual(new Uint8Array(readFileSync(join(DEFAULT_PROMPTS_DIR, 'en-US', entry.file))));
  });
});
