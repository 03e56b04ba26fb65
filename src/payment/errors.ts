// Typed error codes of the payment area. Expected dialog outcomes (a declined card, a timeout)
// are values, not errors; these codes are for configuration and gateway-client faults.
import { defineErrors } from '../core/errors.js';

export const PAYMENT_ERRORS = defineErrors({
  ERR_PAYMENT_CONFIG_INVALID: {
    message: 'payment configuration is invalid',
    hint: 'Fix the listed fields of the connector configuration; each issue names its path.',
  },
  ERR_PAYMENT_CONFIG_UNKNOWN_CONNECTOR: {
    message: 'no payment configuration for this connector id and no "default" entry',
    hint: 'Add an entry for the connector id, or a "default" entry, to the payment configuration.',
  },
  ERR_PAYMENT_GATEWAY_INSECURE_URL: {
    message: 'gateway URL must use https unless the host is loopback',
    hint: 'Use an https:// URL; plain http:// is accepted only for 127.0.0.0/8, ::1 and localhost.',
  },
  ERR_PAYMENT_GATEWAY_CREDENTIALS_MISSING: {
    message: 'gateway credentials are missing',
    hint: 'Set the API key in the configuration or in the environment variable it names.',
  },
});

export type PaymentErrorCode = keyof typeof PAYMENT_ERRORS;
