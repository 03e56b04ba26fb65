// Payment configuration, one entry per Audio Connector connector id (plus "default"), validated
// once at start. Every field has a documented default (docs/payment.md), so `{}` is a working
// configuration that charges through the embedded gateway sim on 127.0.0.1:4242.
import { z } from 'zod';
import { BRANDS } from './card-rules.js';
import { CURRENCY_MINOR_UNITS } from './money.js';
import { isSecureGatewayUrl } from './gateway/url-policy.js';

const secureUrl = z.string().url().refine(isSecureGatewayUrl, {
  message: 'must be https:// unless the host is loopback (127.0.0.0/8, ::1, localhost)',
});

const retrySchema = z.object({
  /** Per HTTP request. */
  requestTimeoutMs: z.number().int().min(100).max(60_000).default(8_000),
  /** Further tries with the same idempotency key after a timeout, network error or 5xx. */
  maxRetries: z.number().int().min(0).max(5).default(2),
  /** First backoff; doubles each retry. */
  backoffMs: z.number().int().min(0).max(10_000).default(250),
});

const apiKeySchema = {
  /** The secret itself (prefer apiKeyEnv so it stays out of files). */
  apiKey: z.string().min(1).optional(),
  /** Name of an environment variable holding the secret. */
  apiKeyEnv: z.string().min(1).optional(),
};

export const StripeGatewaySchema = z.object({
  provider: z.literal('stripe'),
  baseUrl: secureUrl.default('http://127.0.0.1:4242'),
  ...apiKeySchema,
  ...retrySchema.shape,
});

const fieldPath = z.string().regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'a dot path like card.number');

export const JsonGatewaySchema = z.object({
  provider: z.literal('json'),
  /** POST target of a charge. */
  chargeUrl: secureUrl,
  /** GET target of a lookup by idempotency key; `{key}` is replaced (URL-encoded). */
  lookupUrl: secureUrl.refine((u) => u.includes('%7Bkey%7D') || u.includes('{key}'), 'must contain {key}'),
  /** Header carrying the credential, e.g. Authorization (value "Bearer <apiKey>"). */
  authHeader: z.string().default('Authorization'),
  authScheme: z.string().default('Bearer'),
  ...apiKeySchema,
  idempotencyHeader: z.string().default('Idempotency-Key'),
  amountFormat: z.enum(['minor', 'decimal']).default('minor'),
  /** Request body field paths. */
  fields: z
    .object({
      amount: fieldPath.default('amount'),
      currency: fieldPath.default('currency'),
      cardNumber: fieldPath.default('card.number'),
      expiryMonth: fieldPath.default('card.exp_month'),
      expiryYear: fieldPath.default('card.exp_year'),
      securityCode: fieldPath.default('card.cvc'),
      reference: fieldPath.default('reference'),
      customerId: fieldPath.default('customer_id'),
    })
    .prefault({}),
  /** How to read an answer (the charge's or the lookup's). */
  response: z
    .object({
      status: fieldPath.default('status'),
      approved: z.array(z.string()).min(1).default(['approved']),
      declined: z.array(z.string()).min(1).default(['declined']),
      transactionRef: fieldPath.default('id'),
      declineCode: fieldPath.default('decline_code'),
      /** Gateway decline codes to PayHook reasons; unmapped codes are "generic". */
      declineCodes: z.record(z.string(), z.enum(['generic', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'incorrect_number', 'processing_error', 'lost_or_stolen'])).default({
        insufficient_funds: 'insufficient_funds', expired_card: 'expired_card', incorrect_cvc: 'incorrect_cvc',
        incorrect_number: 'incorrect_number', processing_error: 'processing_error', lost_card: 'lost_or_stolen', stolen_card: 'lost_or_stolen',
      }),
    })
    .prefault({}),
  ...retrySchema.shape,
});

export const GatewaySchema = z.discriminatedUnion('provider', [StripeGatewaySchema, JsonGatewaySchema]);

const resultName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower_snake_case, at most 40 characters');

export const PaymentConfigSchema = z
  .object({
    /** Prompt language when neither PAYHOOK_LANGUAGE nor open.language gives one. */
    language: z.string().min(2).default('en-US'),
    /** ISO 4217 code used when PAYHOOK_CURRENCY is absent. */
    currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
    /** Minor units of `currency`; needed only for a currency missing from the built-in table. */
    minorUnits: z.number().int().min(0).max(4).optional(),
    /** Smallest and largest payable amount, in minor units of the currency. */
    minAmountMinor: z.number().int().min(1).default(100),
    maxAmountMinor: z.number().int().min(1).max(1e12).default(1_000_000),
    acceptedBrands: z.array(z.enum(BRANDS)).min(1).default(['visa', 'mastercard', 'american-express', 'discover']),
    allowVisa13: z.boolean().default(true),
    luhnValidateUnionPay: z.boolean().default(true),
    /** Failed entries (no input, invalid, rejected read-back) allowed per field. */
    maxAttemptsPerField: z.number().int().min(1).max(10).default(3),
    /** Declines after which the call leaves the dialog (the caller may try again before that). */
    maxDeclines: z.number().int().min(1).max(10).default(3),
    required: z
      .object({ expiry: z.boolean().default(true), securityCode: z.boolean().default(true) })
      .prefault({}),
    readBack: z
      .object({
        cardNumber: z.enum(['last4', 'all']).default('last4'),
        /** "length" says how many digits were keyed; "none" skips the security-code read-back. */
        securityCode: z.enum(['none', 'length', 'digits']).default('length'),
      })
      .prefault({}),
    timeouts: z
      .object({
        firstDigitMs: z.number().int().min(1000).max(60_000).default(8_000),
        interDigitMs: z.number().int().min(1000).max(30_000).default(5_000),
      })
      .prefault({}),
    /** Years ahead an expiry may be. */
    maxExpiryYears: z.number().int().min(1).max(50).default(20),
    /** PAYHOOK_RESULT value when a field runs out of attempts. */
    tooManyAttemptsResult: resultName.default('too_many_attempts'),
    gateway: GatewaySchema.prefault({ provider: 'stripe' }),
  })
  .superRefine((c, ctx) => {
    if (c.minAmountMinor > c.maxAmountMinor) {
      ctx.addIssue({ code: 'custom', path: ['minAmountMinor'], message: 'must not exceed maxAmountMinor' });
    }
    if (c.minorUnits === undefined && CURRENCY_MINOR_UNITS[c.currency] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minorUnits'], message: `required for ${c.currency} (not in the built-in table)` });
    }
  });

export type PaymentConfig = z.output<typeof PaymentConfigSchema>;
export type GatewayConfig = PaymentConfig['gateway'];
export type StripeGatewayConfig = z.output<typeof StripeGatewaySchema>;
export type JsonGatewayConfig = z.output<typeof JsonGatewaySchema>;

/** Connector id -> its configuration; "default" serves every connector without an entry. */
export const PaymentConfigsSchema = z.record(z.string().min(1), PaymentConfigSchema);

export interface ConfigIssue {
  /** e.g. "default.gateway.baseUrl" */
  path: string;
  message: string;
}

export type ConfigParse<T> = { ok: true; value: T } | { ok: false; code: 'ERR_PAYMENT_CONFIG_INVALID'; issues: ConfigIssue[] };

// Issues carry paths and zod's messages, never the offending value (it may be an API key).
function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Validates one connector's configuration and fills in the defaults. Pure. */
export function parsePaymentConfig(raw: unknown): ConfigParse<PaymentConfig> {
  const r = PaymentConfigSchema.safeParse(raw ?? {});
  return r.success ? { ok: true, value: r.data } : { ok: false, code: 'ERR_PAYMENT_CONFIG_INVALID', issues: issuesOf(r.error) };
}

/** Validates the whole connector map; an empty or missing map means `{ default: {} }`. Pure. */
export function parsePaymentConfigs(raw: unknown): ConfigParse<ReadonlyMap<string, PaymentConfig>> {
  const r = PaymentConfigsSchema.safeParse(raw ?? { default: {} });
  if (!r.success) return { ok: false, code: 'ERR_PAYMENT_CONFIG_INVALID', issues: issuesOf(r.error) };
  const map = new Map(Object.entries(r.data));
  if (map.size === 0) map.set('default', PaymentConfigSchema.parse({}));
  return { ok: true, value: map };
}

/** The configuration for a connector id, falling back to "default"; undefined when neither exists. */
export function configForConnector(configs: ReadonlyMap<string, PaymentConfig>, connectorId: string | undefined): PaymentConfig | undefined {
  return (connectorId !== undefined ? configs.get(connectorId) : undefined) ?? configs.get('default');
}

/** Minor units of a currency under a configuration (the table, or the configured override). */
export function minorUnitsFor(config: PaymentConfig, currency: string): number | undefined {
  if (currency === config.currency && config.minorUnits !== undefined) return config.minorUnits;
  return CURRENCY_MINOR_UNITS[currency];
}
