import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseWav } from '../../audio/wav.js';
import { PayhookError } from '../../core/errors.js';
import { DEFAULT_PROMPTS_DIR } from '../../prompts/catalog.js';
import { PROMPTS_ERRORS } from '../../prompts/errors.js';
import { run } from './prompts.js';

// The build needs espeak-ng and sox and takes a while; the tests hand it the error they need.
const buildCatalog = vi.hoisted(() => vi.fn());
vi.mock('../../prompts/build.js', async (importOriginal) => ({ ...(await importOriginal<object>()), buildCatalog }));

const dir = mkdtempSync(join(tmpdir(), 'payhook-cli-prompts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => {
    out.push(a.join(' '));
    err.push(a.join(' '));
  });
});
afterEach(() => vi.restoreAllMocks());

describe('payhook prompts', () => {
  it('say writes a mu-law WAV of the amount', async () => {
    const file = join(dir, 'amount.wav');
    expect(await run(['say', 'amount 1234.56 USD', '--out', file])).toBe(0);
    const wav = parseWav(new Uint8Array(readFileSync(file)));
    expect(wav).toMatchObject({ encoding: 'mulaw', sampleRate: 8000, channels: 1 });
    expect(wav.data.length / 8000).toBeGreaterThan(2);
    expect(out.join('\n')).toContain('en-US');
  });

  it('say speaks Spanish with --lang and falls back to en-US for an unknown language', async () => {
    expect(await run(['say', 'expiry 1127', '--lang', 'es-MX', '--out', join(dir, 'es.wav')])).toBe(0);
    expect(out.join('\n')).toContain('es-US');
    expect(await run(['say', 'digits 4242', '--lang', 'fr-FR', '--out', join(dir, 'fr.wav')])).toBe(0);
    expect(out.join('\n')).toContain('en-US');
  });

  it('say exits 2 with a message for an expression it cannot read, and 1 for a value it cannot say', async () => {
    expect(await run(['say', 'phrase nope', '--out', join(dir, 'x.wav')])).toBe(2);
    expect(out.join('\n')).toContain('unknown phrase');
    expect(await run(['say', 'expiry 1399', '--out', join(dir, 'x.wav')])).toBe(1);
    expect(out.join('\n')).toContain('ERR_PROMPTS_BAD_VALUE');
  });

  it('list prints every clip of a language with its text', async () => {
    expect(await run(['list', '--lang', 'es-US'])).toBe(0);
    expect(out.some((l) => l.startsWith('phrase.goodbye') && l.includes('Adiós'))).toBe(true);
  });

  it('build names the clip that failed the talk-off check on stderr, and nothing of its text', async () => {
    buildCatalog.mockRejectedValueOnce(
      new PayhookError('ERR_PROMPTS_TTS_FAILED', PROMPTS_ERRORS.ERR_PROMPTS_TTS_FAILED, {
        reason: 'dtmf_talk_off',
        language: 'en-US',
        clip: 'num.9',
        findings: ['screen:9@1240', 'screen:9@2080'],
        // Not printed: only named fields are, so a stray text or tool output stays in the detail.
        text: 'nine',
        stderr: 'tool output',
      }),
    );
    expect(await run(['build', '--lang', 'en-US', '--dir', dir])).toBe(1);
    expect(err).toEqual([
      'payhook prompts: ERR_PROMPTS_TTS_FAILED: text-to-speech rendering failed',
      '  reason: dtmf_talk_off',
      '  language: en-US',
      '  clip: num.9',
      '  findings: screen:9@1240, screen:9@2080',
    ]);
  });

  it('list names a missing clip by its id', async () => {
    const partial = join(dir, 'partial');
    mkdirSync(join(partial, 'en-US'), { recursive: true });
    copyFileSync(join(DEFAULT_PROMPTS_DIR, 'en-US', 'manifest.json'), join(partial, 'en-US', 'manifest.json'));
    expect(await run(['list', '--dir', partial])).toBe(1);
    const first = Object.keys((JSON.parse(readFileSync(join(partial, 'en-US', 'manifest.json'), 'utf8')) as { clips: object }).clips)[0]!;
    expect(err).toEqual(['payhook prompts: ERR_PROMPTS_CLIP_MISSING: a prompt clip is missing from the catalog', '  language: en-US', `  clip: ${first}`]);
  });

  it('prints usage and exits 2 without a subcommand', async () => {
    expect(await run([])).toBe(2);
    expect(out.join('\n')).toContain('usage: payhook prompts');
  });
});
