// Builds every AssemblyScript entry in wasm/assembly/*.entry.ts into wasm/build/<name>.wasm.
// Run by `npm run build:wasm` (and so by `npm install` through `prepare`): the binary is never committed.
import { readdirSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, basename } from 'node:path';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const entries = readdirSync(join(here, 'assembly')).filter((f) => f.endsWith('.entry.ts'));
mkdirSync(join(here, 'build'), { recursive: true });
for (const entry of entries) {
  const name = basename(entry, '.entry.ts');
  const { error, stderr } = await asc.main([
    join(here, 'assembly', entry),
    '--outFile', join(here, 'build', `${name}.wasm`),
    '--textFile', join(here, 'build', `${name}.wat`),
    '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert',
    '--runtime', 'stub', '--enable', 'simd', '--initialMemory', '1',
  ]);
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`wasm build failed for ${entry}: ${error.message}`);
    process.exit(1);
  }
  console.log(`wasm: built ${name}.wasm`);
}
