// docs/payment.md is what the Genesys flow author routes on: every variable name, result and
// error code in the code must appear there (fastify's errors-doc check, for our names).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT_VARIABLES } from './dialog/outputs.js';
import { PAYMENT_ERRORS } from './errors.js';
import { INPUT_VARIABLES } from './input-variables.js';
import { DECLINE_REASONS } from './gateway/types.js';

const doc = readFileSync(new URL('../../docs/payment.md', import.meta.url), 'utf8');
const RESULTS = ['approved', 'declined', 'not_identified', 'cancelled', 'too_many_attempts', 'gateway_error', 'invalid_request', 'hung_up'];

describe('docs/payment.md', () => {
  it('documents every input and output variable in a table row', () => {
    for (const name of [...Object.values(INPUT_VARIABLES), ...Object.values(OUTPUT_VARIABLES)]) expect(doc).toContain(`| \`${name}\``);
  });

  it('documents every result, decline reason and error code', () => {
    for (const r of RESULTS) expect(doc).toContain(`\`${r}\``);
    for (const r of DECLINE_REASONS) expect(doc).toContain(`\`${r}\``);
    for (const code of Object.keys(PAYMENT_ERRORS)) expect(doc).toContain(`| \`${code}\``);
  });
});
