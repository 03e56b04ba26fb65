// The payment area's public surface, for the call wiring, the server and the CLI.
export { CardBuffer } from './card-buffer.js';
export { CardData, type Expiry } from './card-data.js';
export {
  BRANDS, checkPanPrefix, luhnValid, securityCodeLength, validateExpiry, validatePan, validateSecurityCode,
  type Brand, type CardRuleOptions, type ExpiryCheck, type PanCheck, type PanProgress,
} from './card-rules.js';
export {
  configForConnector, minorUnitsFor, parsePaymentConfig, parsePaymentConfigs, PaymentConfigSchema, PaymentConfigsSchema,
  type ConfigIssue, type ConfigParse, type GatewayConfig, type JsonGatewayConfig, type PaymentConfig, type StripeGatewayConfig,
} from './config.js';
export { PAYMENT_ERRORS, type PaymentErrorCode } from './errors.js';
export { INPUT_VARIABLES, parseCallContext, type AmountSource, type CallContext, type Mode } from './input-variables.js';
export { CURRENCY_MINOR_UNITS, formatMinor, parseDecimalAmount, parseKeyedAmount } from './money.js';
export { OUTPUT_VARIABLES, buildOutputVariables } from './dialog/outputs.js';
export { idempotencyKey, isFinished, startDialog, transition } from './dialog/transition.js';
export { PaymentDialog, type DialogResult, type PaymentDialogEvents, type PaymentDialogOptions } from './dialog/runner.js';
export type {
  CardField, CollectField, DialogAction, DialogInput, DialogState, DialogStatus, NextAction, Outcome, ResultKind, TimerName, Transition,
} from './dialog/types.js';
export { createGatewayClient, SANDBOX_API_KEY, type CreateGatewayResult } from './gateway/create.js';
export { JsonGatewayClient } from './gateway/json-rest.js';
export { StripeGatewayClient } from './gateway/stripe.js';
export { isLoopbackHost, isSecureGatewayUrl } from './gateway/url-policy.js';
export type { ChargeOptions, ChargeRequest, ChargeResult, DeclineReason, GatewayClient, GatewayFailure, LookupResult } from './gateway/types.js';
export { buildGatewaySim, startGatewaySim, FAULT_HEADER, type GatewaySim, type GatewaySimOptions, type SimCharge } from './gateway-sim/server.js';
export { FAULT_AMOUNTS, TEST_CARD_APPROVALS, TEST_CARD_DECLINES, type SimFault } from './gateway-sim/test-cards.js';
