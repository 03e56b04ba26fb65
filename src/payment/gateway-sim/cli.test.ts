// `payhook gateway-sim`: argument errors exit 2; a run listens until SIGINT and serves charges.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/commands/gateway-sim.js';

afterEach(() => vi.restoreAllMocks());

describe('payhook gateway-sim', () => {
  it('exits 2 on a bad port or an unknown option', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['--port', 'abc'])).toBe(2);
    expect(await run(['--port', '70000'])).toBe(2);
    expect(await run(['--frobnicate'])).toBe(2);
  });

  it('serves the sandbox on the given port until interrupted', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    const exit = run(['--port', '0', '--log-level', 'silent']);
    await vi.waitFor(() => expect(printed.join('')).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/));
    const url = /http:\/\/[\d.:]+/.exec(printed.join(''))![0];
    const res = await fetch(`${url}/health`);
    expect(await res.json()).toEqual({ status: 'ok' });
    process.emit('SIGINT');
    expect(await exit).toBe(0);
  });
});
