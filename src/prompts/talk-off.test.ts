import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulawDecode } from '../audio/g711.js';
import { PITCH_VARIANTS, renderClip } from './build.js';
import { DEFAULT_PROMPTS_DIR, loadCatalog } from './catalog.js';
import { LANGUAGE_TEXTS } from './lang/index.js';
import { toolVersions } from './synthesize.js';
import { keyPress, talkOffVowel } from './talk-off-signals.js';
import { TALK_OFF_CHECK, detectorDigits, screenDtmf, talkOffFindings } from './talk-off.js';

describe('talk-off check', () => {
  it('finds a key press with the project detector, and a quiet one only on the boosted copy', () => {
    expect(detectorDigits(keyPress('5', -20)).map((d) => d.digit)).toEqual(['5']);
    expect(talkOffFindings(keyPress('5', -20)).map((f) => f.check)).toEqual(expect.arrayContaining(['detector', 'detector+24dB']));
    const quiet = keyPress('#', -50);
    expect(detectorDigits(quiet)).toEqual([]);
    expect(talkOffFindings(quiet)).toContainEqual(expect.objectContaining({ check: 'detector+24dB', digit: '#' }));
  });

  it('screens speech-like talk-off that the strict detector does not read (multimon-ng does)', () => {
    const vowel = talkOffVowel(0.3);
    expect(detectorDigits(vowel)).toEqual([]);
    expect(talkOffFindings(vowel)).toContainEqual(expect.objectContaining({ check: 'screen', digit: '9' }));
    // Plain harmonic speech without a dominant pair passes.
    expect(screenDtmf(mulawDecode(talkOffVowel(1)))).toEqual([]);
  });

  it('finds nothing in silence or in nothing', () => {
    expect(talkOffFindings(new Uint8Array(4000).fill(0xff))).toEqual([]);
    expect(talkOffFindings(new Uint8Array(0))).toEqual([]);
  });
});

describe('renderClip', () => {
  it('reproduces a committed clip that needed a talk-off variant, picking the same variant', async (ctx) => {
    const catalog = loadCatalog('en-US');
    const versions = await toolVersions();
    // Byte-for-byte only on the tool versions the catalog was built with.
    if (!versions || `${versions.espeak}; ${versions.sox}` !== catalog.manifest.synthesizer) ctx.skip();
    const entry = catalog.manifest.clips['num.9']!;
    expect(entry.variant?.pitchOffset).toBeDefined();
    const clip = await renderClip(LANGUAGE_TEXTS['en-US'].texts['num.9']!, catalog.manifest.voice);
    expect(clip.findings).toEqual([]);
    expect(clip.pitchOffset).toBe(entry.variant!.pitchOffset);
    expect(clip.mulaw).toEqual(new Uint8Array(readFileSync(join(DEFAULT_PROMPTS_DIR, 'en-US', entry.file))));
  });

  it('records the check and its variants in the manifest of every language', () => {
    for (const language of ['en-US', 'es-US'] as const) {
      expect(loadCatalog(language).manifest.talkOff).toEqual({ ...TALK_OFF_CHECK, pitchVariants: [...PITCH_VARIANTS] });
    }
  });
});
