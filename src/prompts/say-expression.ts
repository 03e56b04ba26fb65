// The little language of `payhook prompts say`: "amount 1234.56 USD", "digits 4242",
// "expiry 1127", "reference AB12CD", "phrase welcome", "number 42", "silence 500", several
// joined with commas ("phrase you_entered, amount 12.50 EUR"). Pure.
import { minorUnitDigits } from './say/index.js';
import { PHRASES, type PhraseId, type SayItem } from './spec.js';

export type ParseResult = { ok: true; items: SayItem[] } | { ok: false; message: string };

const KINDS = ['amount', 'digits', 'expiry', 'reference', 'phrase', 'number', 'silence'] as const;

/** "1234.56" in a currency -> minor units, exactly (no floating point). */
export function parseDecimalAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (digits === null || !m || (m[2] ?? '').length > digits) return null;
  const minor = Number(m[1]! + (m[2] ?? '').padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

function parseOne(expr: string): SayItem | string {
  const [kind, ...args] = expr.trim().split(/\s+/);
  const arg = args.join(' ');
  switch (kind as (typeof KINDS)[number]) {
    case 'amount': {
      const currency = (args[1] ?? 'USD').toUpperCase();
      const minor = parseDecimalAmount(args[0] ?? '', currency);
      return minor === null ? `not an amount in ${currency}: "${args[0] ?? ''}"` : { kind: 'amount', minor, currency };
    }
    case 'digits':
      return { kind: 'digits', digits: arg };
    case 'expiry':
      return { kind: 'expiry', mmyy: arg.replace('/', '') };
    case 'reference':
      return { kind: 'reference', text: arg };
    case 'phrase':
      return (PHRASES as readonly string[]).includes(arg) ? { kind: 'phrase', id: arg as PhraseId } : `unknown phrase "${arg}" (see \`payhook prompts list\`)`;
    case 'number':
    case 'silence': {
      const n = Number(arg);
      if (arg === '' || !Number.isFinite(n)) return `${kind} needs a number`;
      return kind === 'number' ? { kind: 'number', value: n } : { kind: 'silence', ms: n };
    }
    default:
      return `unknown item "${kind ?? ''}" (one of: ${KINDS.join(', ')})`;
  }
}

export function parseSayExpression(text: string): ParseResult {
  const items: SayItem[] = [];
  for (const part of text.split(/[,;]/).filter((p) => p.trim() !== '')) {
    const item = parseOne(part);
    if (typeof item === 'string') return { ok: false, message: item };
    items.push(item);
  }
  return items.length > 0 ? { ok: true, items } : { ok: false, message: 'nothing to say' };
}
