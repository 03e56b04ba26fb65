import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PayhookError } from '../core/errors.js';
import { DEV_API_KEY } from './defaults.js';
import { loadConfig } from './load.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PayhookError);
    const err = e as PayhookError;
    return (err.detail?.problems as string[] | undefined) ?? [err.code];
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('embedded defaults listen on loopback 8080 with the dev key and the sandbox gateway', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(c.apiKeys[0]?.apiKey).toBe(DEV_API_KEY);
    expect(c.gatewaySim.enabled).toBe(true);
  });

  it('environment variables override the defaults', () => {
    const c = loadConfig({ env: { PAYHOOK_PORT: '9000', PAYHOOK_LOG_LEVEL: 'warn', PAYHOOK_GATEWAY_SIM: '0' } });
    expect(c.server.port).toBe(9000);
    expect(c.logLevel).toBe('warn');
    expect(c.gatewaySim.enabled).toBe(false);
  });

  it('lists every problem with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payhook-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ server: { port: 70000 }, apiKeys: [{ apiKey: 'x', clientSecret: 'not base64!' }], typo: 1 }));
    const p = problems(() => loadConfig({ file, env: {} }));
    expect(p.some((s) => s.startsWith('server.port'))).toBe(true);
    expect(p.some((s) => s.startsWith('apiKeys.0.apiKey'))).toBe(true);
    expect(p.some((s) => s.startsWith('apiKeys.0.clientSecret'))).toBe(true);
    expect(p.some((s) => s.includes('typo'))).toBe(true);
  });

  it('refuses the development key off loopback', () => {
    const p = problems(() => loadConfig({ env: { PAYHOOK_HOST: '0.0.0.0' } }));
    expect(p.join()).toMatch(/development API key/);
  });

  it('reports unreadable files, bad JSON and bad env values by code', () => {
    expect(() => loadConfig({ file: '/nonexistent/payhook.json', env: {} })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_FILE_UNREADABLE' }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'payhook-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadConfig({ file: join(dir, 'bad.json'), env: {} })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_FILE_NOT_JSON' }));
    expect(() => loadConfig({ env: { PAYHOOK_PORT: 'eighty' } })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_ENV_INVALID' }));
  });

  it('names the instance from PAYHOOK_INSTANCE_ID and checks the fan-out channel name', () => {
    expect(loadConfig({ env: { PAYHOOK_INSTANCE_ID: 'payhook-7d9f-x2' } }).server.instanceId).toBe('payhook-7d9f-x2');
    expect(loadConfig({ env: {} }).server.instanceId).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'payhook-config-'));
    writeFileSync(join(dir, 'bad-channel.json'), JSON.stringify({ live: { fanoutChannel: 'Payhook-Live; DROP' } }));
    const p = problems(() => loadConfig({ file: join(dir, 'bad-channel.json'), env: {} }));
    expect(p.some((s) => s.startsWith('live.fanoutChannel'))).toBe(true);
  });
});
