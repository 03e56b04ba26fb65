// Builders shared by the gateway tests (no test runner imports: usable from any suite).
import { CardBuffer } from '../card-buffer.js';
import { CardData } from '../card-data.js';
import type { ChargeRequest } from './types.js';

export function chargeRequest(pan: string, opts: { amountMinor?: number; cvc?: string; expiry?: { month: number; year: number } } = {}): ChargeRequest {
  const cvc = opts.cvc ?? (pan.startsWith('37') ? '1234' : '123');
  return {
    amountMinor: opts.amountMinor ?? 2500,
    currency: 'USD',
    brand: pan.startsWith('37') ? 'american-express' : 'visa',
    last4: pan.slice(-4),
    reference: 'INV-1',
    card: new CardData(CardBuffer.from(pan, 19), opts.expiry ?? { month: 12, year: 2030 }, CardBuffer.from(cvc, 4)),
  };
}
