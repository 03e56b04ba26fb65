import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parsePpid, parseProc, processTree, UsageWatch } from './server-usage.js';

const linux = process.platform === 'linux';

describe('server usage from /proc', () => {
  it('reads the parent pid after a command name with spaces and parentheses', () => {
    expect(parsePpid('4242 (node (worker) x) S 17 4242 4242 0 -1')).toBe(17);
    expect(parsePpid('garbage')).toBeUndefined();
    expect(parseProc('1 (a) S 0 0 0 0 0 0 0 0 0 0 250 50', 'VmRSS:\t  2048 kB\n')).toEqual({ cpuSeconds: 3, rssBytes: 2048 * 1024 });
  });

  it.runIf(linux)('counts a child process that burns CPU during the run (a worker of the server)', async () => {
    const watch = new UsageWatch(process.pid, 100);
    const child = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 600);']);
    await new Promise((r) => setTimeout(r, 300));
    expect(processTree(process.pid)).toContain(child.pid);
    await new Promise((r) => setTimeout(r, 200));
    const usage = watch.finish();
    await once(child, 'exit');
    expect(usage).toBeDefined();
    expect(usage!.processes).toBeGreaterThanOrEqual(2);
    // The child spun for about 0.4 s of the 0.5 s watched.
    expect(usage!.cpuSeconds).toBeGreaterThan(0.2);
  });
});
