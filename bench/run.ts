// Benchmark runner: `node --import tsx bench/run.ts [name...]` runs bench/<name>.bench.ts (all when no
// name is given). Each bench module exports `run(): Promise<void>` and prints its own results.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(`# node ${process.version}, ${os.cpus().length} cores (${cpu}), ${os.platform()} ${os.arch()}`);
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n## ${name}`);
  const mod = (await import(`./${name}.bench.ts`)) as { run(): Promise<void> };
  await mod.run();
}
