// Leak test at the dialog level: a full call with two cards (a declined Amex, an approved Visa)
// keyed in; every action, event, prompt, output and the final state is serialized, the charge
// actions included (their CardData must hide itself), and searched for card data.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DialogHarness } from './harness.js';

const AMEX = '378282246310005';
const AMEX_CID = '7391';
const VISA = '4000056655665556';
const VISA_CVV = '846';
const EXPIRY = '0931';

function forbidden(): string[] {
  const out = [AMEX, VISA, AMEX_CID, VISA_CVV];
  for (const pan of [AMEX, VISA]) for (let i = 0; i + 6 <= pan.length; i++) out.push(pan.slice(i, i + 6));
  return out;
}

function fullCall(mode: string): DialogHarness {
  const h = DialogHarness.create({}, { PAYHOOK_MODE: mode, PAYHOOK_CALLER_IDENTIFIED: 'true', PAYHOOK_BALANCE: '120.00' });
  h.answer('2').answer('99*95#').answer('1');
  h.answer(AMEX).answer('1').answer(EXPIRY).answer('1').answer(AMEX_CID).answer('1');
  h.gateway({ status: 'declined', reason: 'generic' });
  h.answer(VISA + '#').answer('1').answer(EXPIRY).answer('1').answer(VISA_CVV).answer('1');
  h.gateway({ status: 'approved', transactionRef: 'pi_leaktest' }).hearAll();
  return h;
}

describe('card data leak check (dialog level)', () => {
  for (const mode of ['automated', 'agent_assisted']) {
    it(`a full ${mode} payment shows no PAN, security code or 6-digit PAN run anywhere but in the charge buffers`, () => {
      const h = fullCall(mode);
      expect(h.outputs.PAYHOOK_RESULT).toBe('approved');
      expect(h.of('charge')).toHaveLength(2);
      const texts = [
        JSON.stringify(h.log),
        inspect(h.log, { depth: 20 }),
        JSON.stringify(h.state),
        inspect(h.state, { depth: 20 }),
        JSON.stringify(h.outputs),
      ];
      for (const text of texts) for (const bad of forbidden()) expect(text).not.toContain(bad);
      // The expiry is read back (a masked, sensitive prompt) but never with the PAN in outputs.
      expect(JSON.stringify(h.outputs)).not.toContain(EXPIRY);
    });
  }
});
