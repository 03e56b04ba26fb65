// Typed error codes. Each area of PayHook declares its codes with defineErrors() in its own
// errors.ts; src/errors.ts gathers them into the one registry that docs/errors.md is checked
// against. Codes are SCREAMING_SNAKE `ERR_<AREA>_<WHAT>`; a retired code is never reused.

export interface ErrorSpec {
  /** Fixed message; never built from caller input (it may reach logs and Genesys). */
  readonly message: string;
  /** What the operator should do about it (shown in docs/errors.md). */
  readonly hint: string;
  /** HTTP status when the error answers a request, if any. */
  readonly status?: number;
}

export type ErrorRegistry<K extends string> = { readonly [P in K]: ErrorSpec };

export function defineErrors<const K extends string>(specs: ErrorRegistry<K>): ErrorRegistry<K> {
  for (const code of Object.keys(specs)) {
    if (!/^ERR_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) throw new Error(`bad error code name: ${code}`);
  }
  return Object.freeze(specs);
}

/**
 * An error with a registry code. `detail` is for logs only and must never hold card data;
 * the message shown to peers is always the registry's fixed text.
 */
export class PayhookError<C extends string = string> extends Error {
  override readonly name = 'PayhookError';
  constructor(
    readonly code: C,
    spec: ErrorSpec,
    readonly detail?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(spec.message, options);
  }
}
