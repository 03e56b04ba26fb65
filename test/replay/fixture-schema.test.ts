// Fixture validation: every problem is reported with its path, audio paths are checked, and the
// committed JSON Schema matches the zod schema.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureJsonSchema, parseFixture } from '../../src/replay/fixture.js';
import { fromRaw, loadFixtureFile } from '../../src/replay/load-fixture.js';
import { checkExpectation } from '../../src/replay/expectation.js';
import { audioConnectorUrl } from '../../src/replay/target.js';

describe('fixture schema', () => {
  it('names the path of every problem', () => {
    const r = parseFixture({
      description: 'bad',
      keying: 'telepathy',
      steps: [{ do: 'waitForPrompt' }, { do: 'press', keys: '12x' }, { do: 'dance' }],
      gateway: { faults: ['slow:abc'] },
      expect: { result: 'approved', outputVariables: { PAYHOOK_DECLINES: 0 } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['keying', 'steps.1.keys', 'steps.2.do', 'gateway.faults.0', 'expect.outputVariables.PAYHOOK_DECLINES']));
    expect(r.issues.find((i) => i.path === 'steps.1.keys')?.message).toBe('keys are 0-9, *, #, A-D');
  });

  it('rejects unknown fields instead of ignoring a typo', () => {
    const r = parseFixture({ description: 'x', steps: [{ do: 'wait', seconds: 1, secs: 2 }], inputVariabels: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path).sort()).toEqual(['(root)', 'steps.0']);
  });

  it('fills defaults so a minimal fixture is complete', () => {
    const r = parseFixture({ description: 'x', steps: [{ do: 'press', keys: '1' }] });
    expect(r.ok && r.fixture).toMatchObject({ connector: 'payments', keying: 'outofband', tone: { onMs: 80, gapMs: 80 }, gateway: { faults: [], down: false } });
  });

  it('reports a missing or unusable WAV under the step that plays it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payhook-fixture-'));
    writeFileSync(join(dir, 'not-a.wav'), 'hello');
    const r = fromRaw({ description: 'x', steps: [{ do: 'play', wav: 'missing.wav' }, { do: 'play', wav: 'not-a.wav' }] }, dir, 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('ERR_REPLAY_FIXTURE_UNREADABLE');
      expect(r.issues.map((i) => i.path)).toEqual(['steps.0.wav', 'steps.1.wav']);
      expect(r.issues[0]!.message).toContain('ENOENT');
    }
  });

  it('says so when the file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payhook-fixture-'));
    writeFileSync(join(dir, 'broken.json'), '{ "description": ');
    const r = loadFixtureFile(join(dir, 'broken.json'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/^not JSON/);
  });

  it('matches the committed fixtures/calls/schema.json (regenerate with fixtures/calls/generate-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/calls/schema.json'), 'utf8'));
    expect(committed).toEqual(fixtureJsonSchema());
  });
});

describe('expectation check', () => {
  it('lists each differing output variable and a missing result', () => {
    const expect_ = { result: 'approved' as const, outputVariables: { PAYHOOK_CARD_LAST4: '4242', PAYHOOK_DECLINES: '0' } };
    expect(checkExpectation(expect_, { PAYHOOK_RESULT: 'approved', PAYHOOK_CARD_LAST4: '4242', PAYHOOK_DECLINES: '0' })).toEqual({ ok: true, differences: [] });
    expect(checkExpectation(expect_, { PAYHOOK_RESULT: 'declined', PAYHOOK_CARD_LAST4: '4242' }).differences).toEqual([
      'PAYHOOK_RESULT: expected approved, got declined',
      'PAYHOOK_DECLINES: expected "0", got (missing)',
    ]);
    expect(checkExpectation(expect_, undefined).ok).toBe(false);
  });
});

describe('target URL', () => {
  it('adds the connector path to a bare server and maps http to ws', () => {
    expect(audioConnectorUrl('http://127.0.0.1:8080', 'payments')).toEqual({ ok: true, url: 'ws://127.0.0.1:8080/api/v1/audioconnector/payments', loopback: true });
    expect(audioConnectorUrl('wss://pay.example.com/api/v1/audioconnector/x', 'payments')).toMatchObject({ loopback: false, url: 'wss://pay.example.com/api/v1/audioconnector/x' });
    expect(audioConnectorUrl('ws://[::1]:1/', 'p')).toMatchObject({ loopback: true });
    expect(audioConnectorUrl('ftp://x', 'p').ok).toBe(false);
  });
});

describe('expectations in --url mode', () => {
  it('check a live transaction reference for presence, not value', async () => {
    const { checkExpectation, LIVE_UNPREDICTABLE_OUTPUTS } = await import('../../src/replay/expectation.js');
    const expect_ = { result: 'approved', outputVariables: { PAYHOOK_TRANSACTION_REF: 'pi_replay_1', PAYHOOK_CARD_LAST4: '4242' } } as never;
    const live = { PAYHOOK_RESULT: 'approved', PAYHOOK_TRANSACTION_REF: 'pi_000001fd', PAYHOOK_CARD_LAST4: '4242' };
    expect(checkExpectation(expect_, live, LIVE_UNPREDICTABLE_OUTPUTS).ok).toBe(true);
    expect(checkExpectation(expect_, live).ok).toBe(false);
    expect(checkExpectation(expect_, { ...live, PAYHOOK_TRANSACTION_REF: '' }, LIVE_UNPREDICTABLE_OUTPUTS).ok).toBe(false);
    expect(checkExpectation(expect_, { ...live, PAYHOOK_CARD_LAST4: '0005' }, LIVE_UNPREDICTABLE_OUTPUTS).ok).toBe(false);
  });
});
