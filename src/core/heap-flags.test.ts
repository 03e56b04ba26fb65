import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingServerNodeFlags, SERVER_NODE_FLAGS, withServerNodeFlags } from './heap-flags.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('server heap flags', () => {
  it('adds only the flags a command line lacks, before the rest', () => {
    expect(missingServerNodeFlags([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(withServerNodeFlags(['--enable-source-maps'])).toEqual([...SERVER_NODE_FLAGS, '--enable-source-maps']);
  });

  it("keeps an operator's own value, whatever its spelling", () => {
    expect(missingServerNodeFlags(['--initial-old-space-size=512'])).toEqual([]);
    expect(missingServerNodeFlags(['--initial_old_space_size=64'])).toEqual([]);
    expect(withServerNodeFlags(['--initial-old-space-size=512'])).toEqual(['--initial-old-space-size=512']);
  });

  it('is what npm start, npm run loadtest and the Dockerfile run node with', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'loadtest']) {
      const words = scripts[name]!.split(/\s+/);
      expect(words[0]).toBe('node');
      expect(missingServerNodeFlags(words.slice(1, words.indexOf('bin/payhook.js')))).toEqual([]);
    }
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv.slice(-2)).toEqual(['bin/payhook.js', 'serve']);
    expect(missingServerNodeFlags(argv.slice(1, -2))).toEqual([]);
  });
});
