// How a command reports a PayhookError it cannot go on from (a bad configuration, a failed start):
// the code and fixed message, then whichever details the error carries for the operator.
import { PayhookError } from '../core/errors.js';

/** Prints `err` to stderr if it is a PayhookError and returns true; false for anything else. */
export function printPayhookError(command: string, err: unknown): boolean {
  if (!(err instanceof PayhookError)) return false;
  console.error(`payhook ${command}: ${err.code}: ${err.message}`);
  const d = err.detail;
  for (const p of (d?.problems as string[] | undefined) ?? []) console.error(`  - ${p}`);
  if (d?.file) console.error(`  file: ${String(d.file)}`);
  if (d?.variable) console.error(`  variable: ${String(d.variable)} (expected ${String(d.expected)})`);
  if (d?.reason) console.error(`  reason: ${String(d.reason)}`);
  return true;
}
