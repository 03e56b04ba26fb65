// Amounts are integers in the currency's minor units everywhere inside PayHook; decimal
// strings exist only at the edges (input/output variables, the JSON gateway's decimal mode).

/** ISO 4217 minor units of the currencies PayHook knows without configuration. */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  USD: 2, EUR: 2, GBP: 2, CAD: 2, AUD: 2, NZD: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2,
  HUF: 2, INR: 2, ZAR: 2, MXN: 2, BRL: 2, SGD: 2, HKD: 2, CNY: 2, ILS: 2, AED: 2, SAR: 2, TRY: 2,
  JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, XOF: 0, XAF: 0,
  KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3, IQD: 3, LYD: 3,
});

/** Largest amount PayHook handles, in minor units (keeps arithmetic exact in a double). */
export const MAX_MINOR = 1e12;

/** Parses "12.34" (at most `minorUnits` decimals) into minor units; null when malformed. */
export function parseDecimalAmount(text: string, minorUnits: number): number | null {
  const m = /^(\d{1,12})(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > minorUnits) return null;
  const minor = Number(m[1]) * 10 ** minorUnits + Number(fraction.padEnd(minorUnits, '0') || '0');
  return minor <= MAX_MINOR ? minor : null;
}

/** Minor units to a plain decimal string: 1234 with 2 units is "12.34". */
export function formatMinor(minor: number, minorUnits: number): string {
  if (minorUnits === 0) return String(minor);
  const s = String(minor).padStart(minorUnits + 1, '0');
  return `${s.slice(0, -minorUnits)}.${s.slice(-minorUnits)}`;
}

export type KeyedAmount =
  | { ok: true; minor: number }
  | { ok: false; reason: 'empty' | 'malformed' };

/**
 * Parses DTMF amount entry: digits with at most one `*` as the decimal point, e.g. "12*5" is
 * 12.50 and "12" is 12.00. Zero-decimal currencies accept digits only.
 */
export function parseKeyedAmount(keys: string, minorUnits: number): KeyedAmount {
  if (keys.length === 0) return { ok: false, reason: 'empty' };
  const parts = keys.split('*');
  if (parts.length > 2 || !/^\d*$/.test(parts[0]!) || (parts.length === 2 && minorUnits === 0)) {
    return { ok: false, reason: 'malformed' };
  }
  const text = parts.length === 2 ? `${parts[0] || '0'}.${parts[1]}` : parts[0]!;
  const minor = parseDecimalAmount(text, minorUnits);
  return minor === null ? { ok: false, reason: 'malformed' } : { ok: true, minor };
}
