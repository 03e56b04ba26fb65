// The payment dialog as a pure state machine: startDialog() and transition() return the next
// state and the actions for the shell to run (play, timers, secure windows, charge, finish).
// No I/O, no clock reads: `now` (wall-clock epoch ms) is passed in and used only for expiry.
import { createHash } from 'node:crypto';
import type { DtmfDigit } from '../../audiohook/protocol/messages.js';
import { phrase, type PromptSpec, type SayItem } from '../../prompts/spec.js';
import { CardBuffer } from '../card-buffer.js';
import { CardData } from '../card-data.js';
import { checkPanPrefix, validateExpiry, validatePan, validateSecurityCode, type CardRuleOptions } from '../card-rules.js';
import type { PaymentConfig } from '../config.js';
import type { ChargeResult } from '../gateway/types.js';
import type { CallContext } from '../input-variables.js';
import { parseKeyedAmount } from '../money.js';
import { buildOutputVariables } from './outputs.js';
import {
  amountReadback, approvedPrompt, cardReadback, closingPrompt, confirmQuestion, declinedLead, entryPrompt, errorLead,
  type AmountLimits, type EntryError,
} from './prompts.js';
import type {
  CardField, CollectField, ConfirmField, DialogAction, DialogInput, DialogState, DialogStatus, NextAction, Outcome,
  ResultKind, TimerName, Transition,
} from './types.js';

const PAN_CAPACITY = 19;
const MAX_AMOUNT_KEYS = 15;
const CARD_FIELDS: readonly CollectField[] = ['cardNumber', 'expiry', 'securityCode'];
const isCardField = (f: CollectField): f is CardField => CARD_FIELDS.includes(f);

/** Idempotency key of one payment attempt: same conversation, reference and attempt, same key. */
export function idempotencyKey(conversationId: string, reference: string | undefined, attempt: number): string {
  const ref = createHash('sha256').update(reference ?? '').digest('hex').slice(0, 12);
  return `payhook_${conversationId}_${ref}_${attempt}`;
}

const zeroCounts = (): Record<CollectField, number> => ({ amountChoice: 0, amount: 0, cardNumber: 0, expiry: 0, securityCode: 0 });

/** Working copy of one transition: the new state and the actions emitted so far. */
class Tx {
  readonly actions: DialogAction[] = [];
  constructor(
    readonly s: DialogState,
    readonly now: number,
  ) {}

  emit(action: DialogAction): void {
    this.actions.push(action);
  }
}

function rules(config: PaymentConfig): CardRuleOptions {
  return { acceptedBrands: config.acceptedBrands, allowVisa13: config.allowVisa13, luhnValidateUnionPay: config.luhnValidateUnionPay };
}

function limits(s: DialogState): AmountLimits {
  const max = s.context.amount.kind === 'balance' ? Math.min(s.config.maxAmountMinor, s.context.amount.minor) : s.config.maxAmountMinor;
  return { currency: s.context.currency, minMinor: s.config.minAmountMinor, maxMinor: max };
}

// ---- small effects on the working state ----

function play(tx: Tx, spec: PromptSpec): void {
  const playId = tx.s.nextPlayId++;
  tx.s.playing = [...tx.s.playing, { playId, bargeIn: spec.bargeIn }];
  tx.emit({ type: 'play', playId, prompt: spec });
}

function stopPrompts(tx: Tx): void {
  if (tx.s.playing.length === 0) return;
  tx.s.playing = [];
  tx.emit({ type: 'stopPrompts' });
}

function startTimer(tx: Tx, name: TimerName): void {
  cancelTimer(tx);
  const t = tx.s.config.timeouts;
  tx.s.timer = name;
  tx.emit({ type: 'startTimer', name, ms: name === 'firstDigit' ? t.firstDigitMs : t.interDigitMs });
}

function cancelTimer(tx: Tx): void {
  if (tx.s.timer === null) return;
  tx.emit({ type: 'cancelTimer', name: tx.s.timer });
  tx.s.timer = null;
}

function status(tx: Tx, status: DialogStatus): void {
  tx.emit({ type: 'status', status });
}

function setSecure(tx: Tx, field: CardField | null): void {
  if (tx.s.secure === field) return;
  if (tx.s.secure !== null) tx.emit({ type: 'secureWindow', open: false, field: tx.s.secure });
  if (field !== null) tx.emit({ type: 'secureWindow', open: true, field });
  tx.s.secure = field;
}

function wipeCard(s: DialogState): void {
  s.pan.wipe();
  s.expiry.wipe();
  s.securityCode.wipe();
  s.inFlight?.wipe();
  s.inFlight = undefined;
  s.expiryValue = undefined;
}

function bufferOf(s: DialogState, field: CardField): CardBuffer {
  return field === 'cardNumber' ? s.pan : field === 'expiry' ? s.expiry : s.securityCode;
}

// ---- steps ----

function enterCollect(tx: Tx, field: CollectField, error?: EntryError, lead: SayItem[] = []): void {
  const s = tx.s;
  cancelTimer(tx);
  s.step = { kind: 'collect', field };
  s.keys = '';
  if (isCardField(field)) bufferOf(s, field).wipe();
  s.entries[field]++;
  setSecure(tx, isCardField(field) ? field : null);
  const ctx: Parameters<typeof entryPrompt>[3] = { currency: s.context.currency, limits: limits(s), lead };
  if (s.context.amount.kind === 'balance') ctx.balanceMinor = s.context.amount.minor;
  if (s.brand) ctx.brand = s.brand;
  play(tx, entryPrompt(field, s.entries[field], error, ctx));
  status(tx, { phase: 'collecting', field, digits: 0, attempt: s.entries[field], ...(s.brand && field !== 'cardNumber' ? { brand: s.brand } : {}) });
}

function enterConfirm(tx: Tx, field: ConfirmField, lead: SayItem[] = []): void {
  const s = tx.s;
  cancelTimer(tx);
  s.step = { kind: 'confirm', field };
  s.keys = '';
  status(tx, { phase: 'confirming', field, valid: true, ...(s.brand ? { brand: s.brand } : {}) });
  switch (field) {
    case 'amount':
      play(tx, amountReadback(s.amountMinor!, s.context.currency, lead));
      return;
    case 'cardNumber': {
      const all = s.config.readBack.cardNumber === 'all';
      const items: SayItem[] = all
        ? [phrase('you_entered'), { kind: 'digits', digits: s.pan.reveal() }]
        : [phrase('card_ending_in'), { kind: 'digits', digits: s.last4! }];
      play(tx, cardReadback('readback_card', [...lead, ...items], true));
      break;
    }
    case 'expiry': {
      const mmyy = `${String(s.expiryValue!.month).padStart(2, '0')}${String(s.expiryValue!.year % 100).padStart(2, '0')}`;
      play(tx, cardReadback('readback_expiry', [...lead, phrase('expiring'), { kind: 'expiry', mmyy }], true));
      break;
    }
    case 'securityCode': {
      const digits = s.config.readBack.securityCode === 'digits';
      const items: SayItem[] = digits
        ? [phrase('you_entered'), { kind: 'digits', digits: s.securityCode.reveal() }]
        : [phrase('you_entered'), { kind: 'number', value: s.securityCode.length }, phrase('digits')];
      play(tx, cardReadback('readback_security_code', [...lead, ...items], digits));
      break;
    }
  }
  play(tx, confirmQuestion([]));
}

function nextAction(s: DialogState, result: ResultKind): NextAction {
  if (result === 'approved') return s.context.mode === 'agent_assisted' ? 'agent' : 'continue';
  if (result === 'hung_up') return 'continue';
  return s.context.mode === 'agent_assisted' ? 'agent' : 'queue';
}

function outcomeOf(s: DialogState, result: ResultKind, failureReason: string, transactionRef?: string): Outcome {
  const o: Outcome = { result, nextAction: nextAction(s, result), failureReason };
  if (transactionRef !== undefined) o.transactionRef = transactionRef;
  return o;
}

/** Ends the dialog now: no more prompts (hang-up, or the closing prompt has played). */
function finish(tx: Tx, outcome: Outcome): void {
  const s = tx.s;
  cancelTimer(tx);
  stopPrompts(tx);
  setSecure(tx, null);
  wipeCard(s);
  s.step = { kind: 'done', outcome };
  status(tx, { phase: 'finished', result: outcome.result });
  tx.emit({ type: 'finish', outcome, outputVariables: buildOutputVariables(s, outcome) });
}

/** Plays the closing prompt, then finishes when it has played. */
function close(tx: Tx, outcome: Outcome, spec: PromptSpec): void {
  const s = tx.s;
  cancelTimer(tx);
  stopPrompts(tx);
  setSecure(tx, null);
  wipeCard(s);
  s.step = { kind: 'closing', outcome };
  play(tx, spec);
}

function closeFailed(tx: Tx, result: ResultKind, reason: string, lead: SayItem[] = []): void {
  close(tx, outcomeOf(tx.s, result, reason), closingPrompt(result, tx.s.context, lead));
}

const FIELD_REASON: Record<CollectField, string> = {
  amountChoice: 'amount_choice',
  amount: 'amount',
  cardNumber: 'card_number',
  expiry: 'expiry',
  securityCode: 'security_code',
};

/** A failed entry: ask again with an error lead, or end once the field is out of attempts. */
function fail(tx: Tx, field: CollectField, error: EntryError, again: 'collect' | 'confirm'): void {
  const s = tx.s;
  status(tx, { phase: again === 'confirm' ? 'confirming' : 'collecting', field, valid: false, ...(error === 'rejected' ? { confirmed: false } : {}) });
  s.failures[field]++;
  if (s.failures[field] >= s.config.maxAttemptsPerField) {
    const lead = error === 'rejected' ? [] : errorLead(error, limits(s));
    closeFailed(tx, 'too_many_attempts', `${FIELD_REASON[field]}_${error === 'security_code_invalid' ? 'invalid' : error}`, lead);
    return;
  }
  if (again === 'confirm' && field !== 'amountChoice') enterConfirm(tx, field, errorLead(error, limits(s)));
  else enterCollect(tx, field, error);
}

function afterAmount(tx: Tx): void {
  enterCollect(tx, 'cardNumber');
}

function afterConfirmed(tx: Tx, field: ConfirmField): void {
  const s = tx.s;
  status(tx, { phase: 'confirming', field, confirmed: true });
  const req = s.config.required;
  if (field === 'amount') return afterAmount(tx);
  if (field === 'cardNumber' && req.expiry) return enterCollect(tx, 'expiry');
  if (field !== 'securityCode' && req.securityCode) return enterCollect(tx, 'securityCode');
  charge(tx);
}

function charge(tx: Tx): void {
  const s = tx.s;
  cancelTimer(tx);
  setSecure(tx, null);
  s.chargeAttempts++;
  const attempt = s.chargeAttempts;
  const card = new CardData(s.pan, s.config.required.expiry ? s.expiryValue : undefined, s.config.required.securityCode ? s.securityCode : undefined);
  s.inFlight = card;
  // Fresh buffers for a possible next card: the charged ones now belong to the charge.
  s.pan = new CardBuffer(PAN_CAPACITY);
  s.securityCode = new CardBuffer(4);
  s.expiry.wipe();
  s.expiryValue = undefined;
  s.step = { kind: 'charging', attempt, callerGone: false };
  const request = {
    amountMinor: s.amountMinor!,
    currency: s.context.currency,
    brand: s.brand!,
    last4: s.last4!,
    card,
    ...(s.context.reference !== undefined ? { reference: s.context.reference } : {}),
    ...(s.context.customerId !== undefined ? { customerId: s.context.customerId } : {}),
  };
  tx.emit({ type: 'charge', attempt, idempotencyKey: idempotencyKey(s.context.conversationId, s.context.reference, attempt), request });
  status(tx, { phase: 'charging', attempt, ...(s.brand ? { brand: s.brand } : {}) });
  play(tx, { name: 'processing', items: [phrase('processing')], bargeIn: false, sensitive: false });
}

function onGatewayAnswer(tx: Tx, attempt: number, result: ChargeResult): void {
  const s = tx.s;
  if (s.step.kind !== 'charging' || s.step.attempt !== attempt) return; // stale or duplicate answer
  const callerGone = s.step.callerGone;
  s.inFlight?.wipe();
  s.inFlight = undefined;
  let outcome: Outcome;
  let spec: PromptSpec;
  switch (result.status) {
    case 'approved':
      outcome = outcomeOf(s, 'approved', '', result.transactionRef);
      spec = approvedPrompt(result.transactionRef, s.context);
      break;
    case 'declined':
      s.declines++;
      if (!callerGone && s.declines < s.config.maxDeclines) {
        for (const f of CARD_FIELDS) s.failures[f] = 0;
        s.brand = undefined;
        s.last4 = undefined;
        stopPrompts(tx);
        enterCollect(tx, 'cardNumber', undefined, [...declinedLead(result.reason), phrase('declined_try_another_card')]);
        return;
      }
      outcome = outcomeOf(s, 'declined', result.reason);
      spec = closingPrompt('declined', s.context, declinedLead(result.reason));
      break;
    case 'failed':
      outcome = outcomeOf(s, 'gateway_error', `gateway_${result.failure}`);
      spec = closingPrompt('gateway_error', s.context, []);
      break;
  }
  if (callerGone) finish(tx, outcome);
  else close(tx, outcome, spec);
}

// ---- keys ----

function onCollectKey(tx: Tx, field: CollectField, key: DtmfDigit): void {
  const s = tx.s;
  if (field === 'amountChoice') {
    cancelTimer(tx);
    if (key === '1' && s.context.amount.kind === 'balance') {
      s.amountMinor = s.context.amount.minor;
      status(tx, { phase: 'collecting', field, valid: true, confirmed: true });
      return afterAmount(tx);
    }
    if (key === '2') return enterCollect(tx, 'amount');
    return fail(tx, field, 'invalid_key', 'collect');
  }
  if (key === '#') return completeEntry(tx, field);
  if (field === 'amount') {
    s.keys += key;
    status(tx, { phase: 'collecting', field, digits: s.keys.length });
    if (s.keys.length > MAX_AMOUNT_KEYS) return fail(tx, field, 'amount_malformed', 'collect');
    return startTimer(tx, 'interDigit');
  }
  const buffer = bufferOf(s, field);
  buffer.append(key);
  if (field === 'cardNumber') {
    const progress = checkPanPrefix(s.pan, rules(s.config));
    if (progress.code !== 'ok') {
      cancelTimer(tx);
      if (progress.code === 'brand_not_accepted') s.brand = undefined;
      return fail(tx, field, progress.code, 'collect');
    }
    status(tx, { phase: 'collecting', field, digits: s.pan.length, ...(progress.brand ? { brand: progress.brand } : {}) });
    if (progress.complete) return completeEntry(tx, field);
    return startTimer(tx, 'interDigit');
  }
  status(tx, { phase: 'collecting', field, digits: buffer.length });
  const full = field === 'expiry' ? 4 : s.securityCodeLength;
  if (buffer.length >= full) return completeEntry(tx, field);
  startTimer(tx, 'interDigit');
}

/** The entry of a field ended (`#`, its full length, or the inter-digit timeout): validate it. */
function completeEntry(tx: Tx, field: CollectField): void {
  const s = tx.s;
  cancelTimer(tx);
  switch (field) {
    case 'amountChoice':
      return fail(tx, field, 'invalid_key', 'collect');
    case 'amount': {
      const parsed = parseKeyedAmount(s.keys, s.context.minorUnits);
      if (!parsed.ok) return fail(tx, field, parsed.reason === 'empty' ? 'no_input' : 'amount_malformed', 'collect');
      const lim = limits(s);
      if (parsed.minor < lim.minMinor) return fail(tx, field, 'amount_too_low', 'collect');
      if (parsed.minor > lim.maxMinor) return fail(tx, field, 'amount_too_high', 'collect');
      s.amountMinor = parsed.minor;
      return enterConfirm(tx, 'amount');
    }
    case 'cardNumber': {
      if (s.pan.length === 0) return fail(tx, field, 'no_input', 'collect');
      const check = validatePan(s.pan, rules(s.config));
      if (check.code !== 'ok') return fail(tx, field, check.code, 'collect');
      s.brand = check.brand;
      s.last4 = s.pan.last4();
      s.securityCodeLength = check.securityCodeLength;
      return enterConfirm(tx, 'cardNumber');
    }
    case 'expiry': {
      if (s.expiry.length === 0) return fail(tx, field, 'no_input', 'collect');
      const check = validateExpiry(s.expiry, tx.now, s.config.maxExpiryYears);
      s.expiry.wipe();
      if (check.code !== 'ok') return fail(tx, field, check.code, 'collect');
      s.expiryValue = { month: check.month, year: check.year };
      return enterConfirm(tx, 'expiry');
    }
    case 'securityCode': {
      if (s.securityCode.length === 0) return fail(tx, field, 'no_input', 'collect');
      if (!validateSecurityCode(s.securityCode, s.securityCodeLength)) return fail(tx, field, 'security_code_invalid', 'collect');
      if (s.config.readBack.securityCode === 'none') {
        status(tx, { phase: 'collecting', field, valid: true });
        return charge(tx);
      }
      return enterConfirm(tx, 'securityCode');
    }
  }
}

function onConfirmKey(tx: Tx, field: ConfirmField, key: DtmfDigit): void {
  cancelTimer(tx);
  if (key === '1') return afterConfirmed(tx, field);
  if (key === '2') return fail(tx, field, 'rejected', 'collect');
  fail(tx, field, 'invalid_key', 'confirm');
}

/** `*` cancels, except as the decimal point of a keyed amount (after a digit, once). */
function starIsDecimalPoint(s: DialogState): boolean {
  return s.step.kind === 'collect' && s.step.field === 'amount' && s.context.minorUnits > 0 && /^\d+$/.test(s.keys);
}

function onDigit(tx: Tx, digit: DtmfDigit, position: number): void {
  const s = tx.s;
  if (position <= s.lastPosition) return; // the same press reported twice
  s.lastPosition = position;
  const step = s.step;
  if (step.kind !== 'collect' && step.kind !== 'confirm') return; // charging, closing: keys ignored
  if (!/^[0-9*#]$/.test(digit)) return; // A-D mean nothing here and must not cut a prompt off
  const cancels = digit === '*' && !starIsDecimalPoint(s);
  if (s.playing.length > 0) {
    // A key during a prompt: barge-in if the prompt allows it; `*` always gets through.
    if (!s.playing[0]!.bargeIn && !cancels) return;
    stopPrompts(tx);
  }
  if (cancels) return closeFailed(tx, 'cancelled', 'caller_pressed_star');
  if (step.kind === 'collect') onCollectKey(tx, step.field, digit);
  else onConfirmKey(tx, step.field, digit);
  keepListening(tx);
}

/** After a barge-in that led nowhere new, the caller still gets the first-digit timeout. */
function keepListening(tx: Tx): void {
  const s = tx.s;
  if ((s.step.kind === 'collect' || s.step.kind === 'confirm') && s.playing.length === 0 && s.timer === null) startTimer(tx, 'firstDigit');
}

function onTimer(tx: Tx, name: TimerName): void {
  const s = tx.s;
  if (s.timer !== name) return; // cancelled or stale
  s.timer = null;
  const step = s.step;
  if (step.kind === 'collect') {
    if (name === 'interDigit') completeEntry(tx, step.field);
    else fail(tx, step.field, 'no_input', 'collect');
  } else if (step.kind === 'confirm') {
    fail(tx, step.field, 'no_input', 'confirm');
  }
}

function onPromptFinished(tx: Tx, playId: number): void {
  const s = tx.s;
  const before = s.playing.length;
  s.playing = s.playing.filter((p) => p.playId !== playId);
  if (s.playing.length === before || s.playing.length > 0) return;
  const step = s.step;
  if (step.kind === 'closing') return finish(tx, step.outcome);
  // The caller has heard the whole request: start waiting for the first key.
  const nothingYet = s.keys.length === 0 && (step.kind !== 'collect' || !isCardField(step.field) || bufferOf(s, step.field).length === 0);
  if ((step.kind === 'collect' || step.kind === 'confirm') && s.timer === null && nothingYet) startTimer(tx, 'firstDigit');
}

function onHangup(tx: Tx): void {
  const s = tx.s;
  s.callerHungUp = true;
  const step = s.step;
  if (step.kind === 'done') return;
  if (step.kind === 'charging') {
    // The charge is in flight and cannot be recalled: wait for its answer, then finish with it.
    s.step = { ...step, callerGone: true };
    cancelTimer(tx);
    stopPrompts(tx);
    return;
  }
  if (step.kind === 'closing') return finish(tx, step.outcome);
  finish(tx, outcomeOf(s, 'hung_up', 'caller_hung_up'));
}

function onCancel(tx: Tx): void {
  const step = tx.s.step;
  if (step.kind === 'collect' || step.kind === 'confirm') closeFailed(tx, 'cancelled', 'cancelled_by_system');
}

function copy(s: DialogState): DialogState {
  return { ...s, failures: { ...s.failures }, entries: { ...s.entries }, playing: [...s.playing] };
}

/**
 * Starts a dialog for a call: the welcome and the first question, or the end at once when the
 * caller is not identified or the inputs are unusable. Pure; does not execute actions.
 */
export function startDialog(config: PaymentConfig, context: CallContext, now: number): Transition {
  const s: DialogState = {
    config,
    context,
    step: { kind: 'collect', field: 'amount' },
    playing: [],
    nextPlayId: 1,
    timer: null,
    lastPosition: Number.NEGATIVE_INFINITY,
    keys: '',
    pan: new CardBuffer(PAN_CAPACITY),
    expiry: new CardBuffer(4),
    securityCode: new CardBuffer(4),
    securityCodeLength: 3,
    failures: zeroCounts(),
    entries: zeroCounts(),
    declines: 0,
    chargeAttempts: 0,
    secure: null,
    callerHungUp: false,
  };
  const tx = new Tx(s, now);
  if (context.invalid.length > 0) {
    closeFailed(tx, 'invalid_request', 'invalid_input_variables');
  } else if (!context.identified) {
    closeFailed(tx, 'not_identified', 'caller_not_identified');
  } else {
    const amount = context.amount;
    const welcome: SayItem[] = [phrase(context.mode === 'agent_assisted' ? 'welcome_agent_assisted' : 'welcome')];
    if (amount.kind === 'fixed') {
      s.amountMinor = amount.minor;
      play(tx, { name: 'welcome', items: [...welcome, phrase('amount_due'), { kind: 'amount', minor: amount.minor, currency: context.currency }], bargeIn: true, sensitive: false });
      enterCollect(tx, 'cardNumber');
    } else {
      play(tx, { name: 'welcome', items: welcome, bargeIn: true, sensitive: false });
      enterCollect(tx, amount.kind === 'balance' ? 'amountChoice' : 'amount');
    }
  }
  return { state: s, actions: tx.actions };
}

/** The dialog's reaction to one input. Pure; does not execute actions. `now` is epoch ms. */
export function transition(state: DialogState, input: DialogInput, now: number): Transition {
  const tx = new Tx(copy(state), now);
  if (tx.s.step.kind === 'done') return { state: tx.s, actions: [] };
  switch (input.type) {
    case 'digit':
      onDigit(tx, input.digit, input.position);
      break;
    case 'timer':
      onTimer(tx, input.name);
      break;
    case 'promptFinished':
      onPromptFinished(tx, input.playId);
      break;
    case 'gatewayAnswer':
      onGatewayAnswer(tx, input.attempt, input.result);
      break;
    case 'hangup':
      onHangup(tx);
      break;
    case 'cancel':
      onCancel(tx);
      break;
  }
  return { state: tx.s, actions: tx.actions };
}

/** Whether the dialog has finished (a finish action was emitted). */
export function isFinished(state: DialogState): boolean {
  return state.step.kind === 'done';
}
