// Typed error codes of the record store. Details name fields and session ids only, never values:
// a value refused as card data must not reach the log that reports the refusal.
import { defineErrors, PayhookError } from '../core/errors.js';

export const storeErrors = defineErrors({
  ERR_STORE_CARD_DATA: {
    message: 'Refused to store a value that looks like card data (a Luhn-valid 13-19 digit run or a CVV field)',
    hint: 'A caller passed card data to the store: find the field named in the log detail and fix the caller. Nothing was written.',
  },
  ERR_STORE_INVALID_RECORD: {
    message: 'A record field has the wrong type or format',
    hint: 'The log detail names the field; the caller must pass the documented shape (see docs/store.md).',
  },
  ERR_STORE_SESSION_EXISTS: {
    message: 'A session with this id is already recorded',
    hint: 'AudioHook session ids are unique; a retry must not start the same session twice.',
  },
  ERR_STORE_SESSION_UNKNOWN: {
    message: 'No session with this id is recorded',
    hint: 'startSession must commit before any other write for the session.',
  },
  ERR_STORE_SESSION_FINISHED: {
    message: 'The session is already finished; its record is closed to writes',
    hint: 'A write arrived after finishSession: look for a late event in the call layer.',
  },
  ERR_STORE_DUPLICATE_ATTEMPT: {
    message: 'A charge or decline is already recorded for this attempt number',
    hint: 'Each gateway attempt is recorded once; a retry of the same attempt reuses its idempotency key and is not a new charge.',
  },
  ERR_STORE_SEGMENT_NOT_OPEN: {
    message: 'No open segment of this kind to end',
    hint: 'endSegment must follow startSegment of the same kind.',
  },
  ERR_STORE_SCHEMA_NEWER: {
    message: 'The database has schema migrations this PayHook version does not know',
    hint: 'A newer PayHook migrated this database; run that version, or restore a backup taken before the upgrade.',
  },
  ERR_STORE_CLOSED: {
    message: 'The store is closed',
    hint: 'A write arrived after shutdown closed the store.',
  },
  ERR_STORE_OPEN_FAILED: {
    message: 'Could not open the record database',
    hint: 'Check the data directory path and permissions (SQLite) or the connection URL and server (PostgreSQL).',
  },
  ERR_STORE_SYNC_FAILED: {
    message: 'A committed write could not be made durable (the sync of the database log failed)',
    hint: 'The disk reported an error on fdatasync; the write is treated as failed. Check the disk and the system log.',
  },
});

export type StoreErrorCode = keyof typeof storeErrors;

export function storeError(code: StoreErrorCode, detail?: Record<string, unknown>, cause?: unknown): PayhookError<StoreErrorCode> {
  return new PayhookError(code, storeErrors[code], detail, cause === undefined ? undefined : { cause });
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is PayhookError<StoreErrorCode> {
  return e instanceof PayhookError && e.code in storeErrors && (code === undefined || e.code === code);
}
