// The messages between the primary and its workers (node:cluster IPC). The primary owns what must
// be one per server: the signature replay cache, the live-view relay and the metrics aggregate.
// Messages carry nonces, card-free live snapshots and metric text only: never call audio or digits.

/** Worker to primary. */
export type WorkerMessage =
  | { readonly t: 'payhook:ready'; readonly slot: number; readonly address: string }
  | { readonly t: 'payhook:nonce'; readonly id: number; readonly nonce: string; readonly expiresAtMs: number }
  /** Live snapshots published by the worker's calls, oldest first (see PrimaryLink's batching). */
  | { readonly t: 'payhook:live'; readonly events: readonly unknown[] }
  | { readonly t: 'payhook:metrics'; readonly id: number };

/** Primary to worker. */
export type PrimaryMessage =
  | { readonly t: 'payhook:nonce-result'; readonly id: number; readonly fresh: boolean }
  /** Another worker's live snapshots, relayed as that worker batched them. */
  | { readonly t: 'payhook:live'; readonly events: readonly unknown[] }
  /** A worker (re)started: publish your calls' snapshots again so its live view is whole. */
  | { readonly t: 'payhook:live-resync' }
  | { readonly t: 'payhook:metrics-result'; readonly id: number; readonly ok: boolean; readonly text: string; readonly contentType: string };

/** The IPC channel as the worker sees it (process in a worker; an in-memory pair in tests). */
export interface Channel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

/** Most snapshots in one live message (about 700 KB); a worker sends a full batch at once. */
export const MAX_LIVE_BATCH = 1000;
const isLiveBatch = (m: Record<string, unknown>) => Array.isArray(m.events) && m.events.length <= MAX_LIVE_BATCH;

type Checks = Readonly<Record<string, (m: Record<string, unknown>) => boolean>>;

/** Each message type's shape check, by direction; a type not listed is not a message of ours. */
const FROM_WORKER: Checks = {
  'payhook:ready': (m) => Number.isInteger(m.slot) && typeof m.address === 'string',
  'payhook:nonce': (m) => Number.isInteger(m.id) && typeof m.nonce === 'string' && m.nonce.length <= 1024 && Number.isFinite(m.expiresAtMs),
  'payhook:live': isLiveBatch,
  'payhook:metrics': (m) => Number.isInteger(m.id),
};

const FROM_PRIMARY: Checks = {
  'payhook:nonce-result': (m) => Number.isInteger(m.id) && typeof m.fresh === 'boolean',
  'payhook:live': isLiveBatch,
  'payhook:live-resync': () => true,
  'payhook:metrics-result': (m) => Number.isInteger(m.id) && typeof m.ok === 'boolean' && typeof m.text === 'string' && typeof m.contentType === 'string',
};

function parse<M>(m: unknown, checks: Checks): M | undefined {
  if (!isObject(m) || typeof m.t !== 'string' || !Object.hasOwn(checks, m.t)) return undefined;
  return checks[m.t]!(m) ? (m as M) : undefined;
}

/** Checks a message from a worker; undefined when it is not one of ours or is malformed. */
export function parseWorkerMessage(m: unknown): WorkerMessage | undefined {
  return parse<WorkerMessage>(m, FROM_WORKER);
}

/** Checks a message from the primary; undefined when it is not one of ours or is malformed. */
export function parsePrimaryMessage(m: unknown): PrimaryMessage | undefined {
  return parse<PrimaryMessage>(m, FROM_PRIMARY);
}

/** True for messages of this protocol (others, such as prom-client's, pass by untouched). */
export function isPayhookMessage(m: unknown): boolean {
  return isObject(m) && typeof m.t === 'string' && m.t.startsWith('payhook:');
}
