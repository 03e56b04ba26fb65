// The payment dialog's vocabulary: its inputs, the actions it asks the shell to run, its state
// and its outcome. Everything here is card-free except ChargeRequest.card (a CardData, which
// serializes as "[CardData]") and the card buffers held in the state.
import type { DtmfDigit } from '../../audiohook/protocol/messages.js';
import type { PromptSpec } from '../../prompts/spec.js';
import type { CardBuffer } from '../card-buffer.js';
import type { CardData, Expiry } from '../card-data.js';
import type { Brand } from '../card-rules.js';
import type { PaymentConfig } from '../config.js';
import type { ChargeRequest, ChargeResult } from '../gateway/types.js';
import type { CallContext } from '../input-variables.js';

export type CardField = 'cardNumber' | 'expiry' | 'securityCode';
export type ConfirmField = 'amount' | CardField;
export type CollectField = 'amountChoice' | ConfirmField;
export const COLLECT_FIELDS = ['amountChoice', 'amount', 'cardNumber', 'expiry', 'securityCode'] as const satisfies readonly CollectField[];

export type TimerName = 'firstDigit' | 'interDigit';

export type DialogInput =
  /** A key, from in-band detection or a `dtmf` message, with its stream position (any monotonic unit). */
  | { type: 'digit'; digit: DtmfDigit; position: number }
  | { type: 'timer'; name: TimerName }
  /** A play action's prompt ended (not sent for prompts flushed by stopPrompts). */
  | { type: 'promptFinished'; playId: number }
  | { type: 'gatewayAnswer'; attempt: number; result: ChargeResult }
  | { type: 'hangup' }
  /** The system ends the dialog (e.g. server shutdown); the caller's `*` is a digit. */
  | { type: 'cancel' };

export type ResultKind =
  | 'approved'
  | 'declined'
  | 'not_identified'
  | 'cancelled'
  | 'too_many_attempts'
  | 'gateway_error'
  | 'hung_up'
  | 'invalid_request';

export type NextAction = 'continue' | 'queue' | 'agent';

export interface Outcome {
  result: ResultKind;
  nextAction: NextAction;
  /** Empty when approved; see docs/payment.md for the values. */
  failureReason: string;
  transactionRef?: string;
}

/** For the live agent view: which field, how many digits, brand, validity. Never a digit value. */
export interface DialogStatus {
  phase: 'collecting' | 'confirming' | 'charging' | 'finished';
  field?: CollectField;
  digits?: number;
  brand?: Brand;
  /** undefined while unknown; false once the entry was rejected. */
  valid?: boolean;
  confirmed?: boolean;
  attempt?: number;
  result?: ResultKind;
}

export type DialogAction =
  | { type: 'play'; playId: number; prompt: PromptSpec }
  /** Barge-in: flush every queued and playing prompt now. */
  | { type: 'stopPrompts' }
  | { type: 'startTimer'; name: TimerName; ms: number }
  | { type: 'cancelTimer'; name: TimerName }
  /** Card entry window: the recorder masks the call audio while it is open. */
  | { type: 'secureWindow'; open: boolean; field: CardField }
  | { type: 'charge'; attempt: number; idempotencyKey: string; request: ChargeRequest }
  | { type: 'status'; status: DialogStatus }
  | { type: 'finish'; outcome: Outcome; outputVariables: Record<string, string> };

export type Step =
  | { kind: 'collect'; field: CollectField }
  | { kind: 'confirm'; field: ConfirmField }
  | { kind: 'charging'; attempt: number; callerGone: boolean }
  | { kind: 'closing'; outcome: Outcome }
  | { kind: 'done'; outcome: Outcome };

export interface Playing {
  playId: number;
  bargeIn: boolean;
}

export interface DialogState {
  readonly config: PaymentConfig;
  readonly context: CallContext;
  step: Step;
  playing: Playing[];
  nextPlayId: number;
  timer: TimerName | null;
  lastPosition: number;
  /** Keys of non-card entries (amount, choice); never card digits. */
  keys: string;
  amountMinor?: number;
  // Card entry. The buffers are owned by the state and mutated in place (so the digits are never
  // copied); an old state object must not be reused after a transition.
  pan: CardBuffer;
  expiry: CardBuffer;
  securityCode: CardBuffer;
  brand?: Brand;
  last4?: string;
  securityCodeLength: number;
  expiryValue?: Expiry;
  /** Card data handed to the current charge; wiped when its answer arrives. */
  inFlight?: CardData;
  failures: Record<CollectField, number>;
  entries: Record<CollectField, number>;
  declines: number;
  chargeAttempts: number;
  secure: CardField | null;
  callerHungUp: boolean;
}

export interface Transition {
  state: DialogState;
  actions: DialogAction[];
}
