import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_AREAS, RETIRED_CODES, allErrorCodes, renderErrorsDoc } from './errors.js';

describe('the error registry', () => {
  it('has unique, well-formed codes with a message and a hint each', () => {
    const all = allErrorCodes();
    expect(all.size).toBeGreaterThan(50);
    for (const [code, spec] of all) {
      expect(code).toMatch(/^ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(spec.message.length, code).toBeGreaterThan(5);
      expect(spec.hint.length, code).toBeGreaterThan(5);
      expect(RETIRED_CODES).not.toContain(code);
    }
  });

  it('docs/errors.md is the generated page (run `npm run docs:errors` after changing a code)', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    for (const { codes } of ERROR_AREAS) for (const code of Object.keys(codes)) expect(doc).toContain(`\`${code}\``);
  });
});
