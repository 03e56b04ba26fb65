// How a command reports a PayhookError it cannot go on from (a bad configuration, a failed start,
// a failed prompt build): the code and fixed message, then whichever details the error carries for
// the operator. Named fields only: details may also hold things not for a terminal (a tool's
// captured stderr, say), and none of the fields printed here carries spoken text or card data.
import { PayhookError } from '../core/errors.js';

/** Detail fields printed as `  <name>: <value>`, in this order, after problems, file and variable. */
const NAMED_DETAILS = ['reason', 'language', 'clip', 'tool', 'status', 'dir'] as const;

/** Prints `err` to stderr if it is a PayhookError and returns true; false for anything else. */
export function printPayhookError(command: string, err: unknown): boolean {
  if (!(err instanceof PayhookError)) return false;
  console.error(`payhook ${command}: ${err.code}: ${err.message}`);
  const d = err.detail;
  for (const p of (d?.problems as string[] | undefined) ?? []) console.error(`  - ${p}`);
  if (d?.file) console.error(`  file: ${String(d.file)}`);
  if (d?.variable) console.error(`  variable: ${String(d.variable)} (expected ${String(d.expected)})`);
  for (const key of NAMED_DETAILS) if (d?.[key] !== undefined && d[key] !== '') console.error(`  ${key}: ${String(d[key])}`);
  // Talk-off findings of a prompt build: `<check>:<digit>@<sample>` (prompts/build.ts).
  if (Array.isArray(d?.findings)) console.error(`  findings: ${d.findings.map(String).join(', ')}`);
  return true;
}
