// Runs the `payhook` CLI from the TypeScript sources (node --import tsx this-file <command> ...),
// for tests that need a real server process without building dist/ first.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
