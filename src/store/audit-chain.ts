// The audit trail's hash chain, as pure functions: both stores compute and check hashes here, so
// SQLite and PostgreSQL chains are byte-for-byte the same and one verifier serves both.
import { createHash } from 'node:crypto';
import type { AuditEvent, ChainVerdict } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace; undefined members dropped. Pure. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export type AuditBody = Omit<AuditEvent, 'prevHash' | 'hash'>;

/** The hashed part of an event: everything but the two hashes (seq included, so order counts). */
export function auditBody(event: AuditEvent | AuditBody): AuditBody {
  const body: AuditBody = {
    seq: event.seq,
    at: event.at,
    type: event.type,
    actor: { type: event.actor.type, id: event.actor.id },
    success: event.success,
    origin: { instanceId: event.origin.instanceId, remoteAddress: event.origin.remoteAddress },
  };
  if (event.resource) body.resource = { type: event.resource.type, id: event.resource.id };
  if (event.detail && Object.keys(event.detail).length > 0) body.detail = { ...event.detail };
  return body;
}

/** sha256(prevHash || canonical JSON of the body), hex. Pure. */
export function chainHash(prevHash: string, body: AuditBody): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(auditBody(body)), 'utf8').digest('hex');
}

/** Links `body` after the event whose hash is `prevHash`. Pure. */
export function linkEvent(prevHash: string, body: AuditBody): AuditEvent {
  return { ...auditBody(body), prevHash, hash: chainHash(prevHash, body) };
}

/**
 * Checks a chain incrementally, page by page in sequence order, so a verifier never holds the
 * whole trail in memory. `finish` compares the last event with the store's head row, which is
 * what exposes deleted events at the tail.
 */
export class ChainVerifier {
  #count = 0;
  #prevHash = GENESIS_HASH;
  #broken: Extract<ChainVerdict, { ok: false }> | undefined;

  /** Feeds the next events in ascending seq order; returns false once the chain is broken. */
  push(events: Iterable<AuditEvent>): boolean {
    if (this.#broken) return false;
    for (const e of events) {
      const expectedSeq = this.#count + 1;
      if (e.seq !== expectedSeq) return this.#fail(expectedSeq, 'sequence_gap');
      if (e.prevHash !== this.#prevHash) return this.#fail(e.seq, 'prev_hash_mismatch');
      if (chainHash(e.prevHash, e) !== e.hash) return this.#fail(e.seq, 'hash_mismatch');
      this.#prevHash = e.hash;
      this.#count++;
    }
    return true;
  }

  /** The verdict, given the head row (last seq and hash) the store recorded with its last append. */
  finish(head: { lastSeq: number; lastHash: string }): ChainVerdict {
    if (this.#broken) return this.#broken;
    if (head.lastSeq > this.#count) return { ok: false, count: this.#count, seq: this.#count + 1, reason: 'sequence_gap' };
    if (head.lastSeq !== this.#count || head.lastHash !== this.#prevHash) {
      return { ok: false, count: this.#count, seq: head.lastSeq, reason: 'head_mismatch' };
    }
    return { ok: true, count: this.#count, headHash: this.#prevHash };
  }

  #fail(seq: number, reason: Extract<ChainVerdict, { ok: false }>['reason']): false {
    this.#broken = { ok: false, count: this.#count, seq, reason };
    return false;
  }
}
