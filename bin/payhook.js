#!/usr/bin/env node
// The `payhook` command: runs the compiled CLI (built by `npm install` through `prepare`).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('payhook: the build is missing; run `npm install` (or `npm run build`) first');
    process.exit(2);
  }
  throw err;
}
try {
  process.exitCode = await cli.main(process.argv.slice(2));
} catch (err) {
  console.error(`payhook: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
