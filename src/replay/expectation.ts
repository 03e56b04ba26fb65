// Compares a call's result with the fixture's expectation. Pure.
import type { Fixture } from './fixture.js';

export interface Check {
  readonly ok: boolean;
  /** One line per difference; output variable values are the flow's, never card data. */
  readonly differences: string[];
}

/**
 * Output variables a live server decides for itself: its gateway issues its own transaction
 * references, so `--url` runs compare everything but these.
 */
export const LIVE_UNPREDICTABLE_OUTPUTS: readonly string[] = ['PAYHOOK_TRANSACTION_REF'];

export function checkExpectation(
  expect: Fixture['expect'],
  outputs: Readonly<Record<string, string>> | undefined,
  ignore: readonly string[] = [],
): Check {
  if (!expect) return { ok: true, differences: [] };
  if (!outputs) return { ok: false, differences: [`expected ${expect.result}, but the call gave no result`] };
  const differences: string[] = [];
  const result = outputs.PAYHOOK_RESULT;
  if (result !== expect.result) differences.push(`PAYHOOK_RESULT: expected ${expect.result}, got ${result ?? '(missing)'}`);
  for (const [name, want] of Object.entries(expect.outputVariables)) {
    const got = outputs[name];
    if (ignore.includes(name)) {
      if (got === undefined || got === '') differences.push(`${name}: expected a value, got ${got === undefined ? '(missing)' : '""'}`);
      continue;
    }
    if (got !== want) differences.push(`${name}: expected ${JSON.stringify(want)}, got ${got === undefined ? '(missing)' : JSON.stringify(got)}`);
  }
  return { ok: differences.length === 0, differences };
}
