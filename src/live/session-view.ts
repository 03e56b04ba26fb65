// The live state of one payment session, folded from the call's card-free events. Pure: each
// function takes a view and returns a new one; nothing here reads a clock or does I/O. Only
// whitelisted facts are copied out of an event (counts, enums, short identifiers): a field the
// call adds later cannot reach the live view by accident.
import type { DialogStatus, Outcome } from '../payment/dialog/types.js';
import { LIVE_FIELDS, type LiveField, type LiveFieldState, type LiveOutcome, type LiveSession } from './types.js';

export interface ViewStart {
  id: string;
  conversationId: string;
  connectorId: string;
  instanceId: string;
  mode: string;
  language: string;
  now: number;
}

/** A fresh view: every field pending. Pure. */
export function createView(start: ViewStart): LiveSession {
  return {
    id: start.id,
    conversationId: start.conversationId,
    connectorId: start.connectorId,
    instanceId: start.instanceId,
    mode: start.mode,
    language: start.language,
    phase: 'starting',
    fields: LIVE_FIELDS.map((field) => ({ field, status: 'pending', digits: 0, entries: 0, rejections: 0 })),
    secure: false,
    gateway: 'idle',
    chargeAttempts: 0,
    declines: 0,
    startedAt: start.now,
    updatedAt: start.now,
  };
}

function copyView(v: LiveSession): LiveSession {
  const next: LiveSession = { ...v, fields: v.fields.map((f) => ({ ...f })) };
  if (v.outcome) next.outcome = { ...v.outcome };
  return next;
}

function fieldOf(v: LiveSession, field: LiveField): LiveFieldState {
  return v.fields.find((f) => f.field === field)!;
}

/** The dialog asks for the amount either as a keyed amount or as a balance choice. */
function liveFieldOf(field: DialogStatus['field']): LiveField | undefined {
  if (field === 'amountChoice') return 'amount';
  return field !== undefined && (LIVE_FIELDS as readonly string[]).includes(field) ? (field as LiveField) : undefined;
}

function countOf(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 1000 ? n : undefined;
}

const BRAND = /^[a-z][a-z-]{1,31}$/;
const TOKEN = /^[a-z][a-z0-9_]{0,63}$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Fields before `field` that were never asked: the flow set them (a fixed amount). */
function settleEarlier(v: LiveSession, field: LiveField | undefined): void {
  for (const f of v.fields) {
    if (f.field === field) return;
    if (f.status === 'pending') f.status = 'not_required';
  }
}

/** Applies a dialog status (which field, how many keys, valid, confirmed, charging). Pure. */
export function applyStatus(view: LiveSession, status: DialogStatus, now: number): LiveSession {
  const v = copyView(view);
  v.updatedAt = now;
  if (typeof status.brand === 'string' && BRAND.test(status.brand)) v.brand = status.brand;
  switch (status.phase) {
    case 'collecting':
    case 'confirming': {
      const field = liveFieldOf(status.field);
      if (!field) return v;
      if (field === 'cardNumber' && view.gateway === 'in_progress') {
        // A new card after a decline: the dialog starts card entry over with fresh counts.
        v.gateway = 'declined';
        v.declines++;
        delete v.brand;
        for (const f of v.fields) {
          if (f.field !== 'amount') Object.assign(f, { status: 'pending', digits: 0, rejections: 0 });
        }
      }
      settleEarlier(v, field);
      v.phase = status.phase;
      v.current = field;
      const f = fieldOf(v, field);
      if (status.valid === false) {
        f.status = 'invalid';
        f.rejections++;
      } else if (status.confirmed === true) {
        f.status = 'confirmed';
      } else if (status.valid === true) {
        f.status = 'valid';
      } else {
        f.status = 'in_progress';
        const digits = countOf(status.digits);
        if (digits !== undefined) f.digits = digits;
        const entries = countOf(status.attempt);
        if (entries !== undefined) f.entries = Math.max(entries, f.entries);
        // A new card number entry forgets the brand of the last one.
        if (field === 'cardNumber' && digits === 0 && entries !== undefined) delete v.brand;
      }
      return v;
    }
    case 'charging': {
      settleEarlier(v, undefined);
      v.phase = 'charging';
      delete v.current;
      v.gateway = 'in_progress';
      const attempt = countOf(status.attempt);
      if (attempt !== undefined) v.chargeAttempts = attempt;
      return v;
    }
    case 'finished': {
      if (v.phase !== 'ended') v.phase = 'finished';
      delete v.current;
      if (v.gateway === 'in_progress') v.gateway = 'done';
      return v;
    }
  }
}

/** A card-entry window opened or closed. Pure. */
export function applySecureWindow(view: LiveSession, open: boolean, now: number): LiveSession {
  const v = copyView(view);
  v.secure = open === true;
  v.updatedAt = now;
  return v;
}

/** The dialog's outcome; free text is kept only when it matches the documented shapes. Pure. */
export function applyOutcome(view: LiveSession, outcome: Outcome, now: number, isCardLike: (text: string) => boolean): LiveSession {
  const v = copyView(view);
  v.updatedAt = now;
  const out: LiveOutcome = {
    result: TOKEN.test(outcome.result) ? outcome.result : 'other',
    nextAction: TOKEN.test(outcome.nextAction) ? outcome.nextAction : 'other',
    failureReason: outcome.failureReason === '' ? '' : TOKEN.test(outcome.failureReason) ? outcome.failureReason : 'other',
  };
  const ref = outcome.transactionRef;
  if (typeof ref === 'string' && REFERENCE.test(ref) && !isCardLike(ref)) out.transactionRef = ref;
  v.outcome = out;
  if (v.gateway === 'in_progress') v.gateway = 'done';
  delete v.current;
  v.phase = v.endedAt === undefined ? 'finished' : 'ended';
  return v;
}

/** The session closed. A charge still in flight keeps the view open until its outcome. Pure. */
export function applyEnded(view: LiveSession, now: number): LiveSession {
  const v = copyView(view);
  v.updatedAt = now;
  v.endedAt ??= now;
  v.secure = false;
  delete v.current;
  if (isOver(v)) v.phase = 'ended';
  return v;
}

/** Nothing more will happen: the session closed and no charge answer is outstanding. Pure. */
export function isOver(view: LiveSession): boolean {
  return view.endedAt !== undefined && (view.outcome !== undefined || view.gateway !== 'in_progress');
}
