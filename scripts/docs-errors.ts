// Regenerates docs/errors.md from the error registry (src/errors.ts).
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../src/errors.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
console.log('docs/errors.md written');
