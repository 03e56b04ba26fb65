// The messages between the primary and its workers (node:cluster IPC). The primary owns what must
// be one per server: the signature replay cache, the live-view relay and the metrics aggregate.
// Messages carry nonces, card-free live snapshots and metric text only: never call audio or digits.

/** Worker to primary. */
export type WorkerMessage =
  | { readonly t: 'payhook:ready'; readonly slot: number; readonly address: string }
  | { readonly t: 'payhook:nonce'; readonly id: number; readonly nonce: string; readonly expiresAtMs: number }
  | { readonly t: 'payhook:live'; readonly event: unknown }
  | { readonly t: 'payhook:metrics'; readonly id: number };

/** Primary to worker. */
export type PrimaryMessage =
  | { readonly t: 'payhook:nonce-result'; readonly id: number; readonly fresh: boolean }
  | { readonly t: 'payhook:live'; readonly event: unknown }
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

/** Checks a message from a worker; undefined when it is not one of ours or is malformed. */
export function parseWorkerMessage(m: unknown): WorkerMessage | undefined {
  if (!isObject(m) || typeof m.t !== 'string') return undefined;
  switch (m.t) {
    case 'payhook:ready':
      return Number.isInteger(m.slot) && typeof m.address === 'string' ? (m as WorkerMessage) : undefined;
    case 'payhook:nonce':
      return Number.isInteger(m.id) && typeof m.nonce === 'string' && m.nonce.length <= 1024 && Number.isFinite(m.expiresAtMs) ? (m as WorkerMessage) : undefined;
    case 'payhook:live':
      return 'event' in m ? (m as WorkerMessage) : undefined;
    case 'payhook:metrics':
      return Number.isInteger(m.id) ? (m as WorkerMessage) : undefined;
    default:
      return undefined;
  }
}

/** Checks a message from the primary; undefined when it is not one of ours or is malformed. */
export function parsePrimaryMessage(m: unknown): PrimaryMessage | undefined {
  if (!isObject(m) || typeof m.t !== 'string') return undefined;
  switch (m.t) {
    case 'payhook:nonce-result':
      return Number.isInteger(m.id) && typeof m.fresh === 'boolean' ? (m as PrimaryMessage) : undefined;
    case 'payhook:live':
      return 'event' in m ? (m as PrimaryMessage) : undefined;
    case 'payhook:live-resync':
      return { t: 'payhook:live-resync' };
    case 'payhook:metrics-result':
      return Number.isInteger(m.id) && typeof m.ok === 'boolean' && typeof m.text === 'string' && typeof m.contentType === 'string' ? (m as PrimaryMessage) : undefined;
    default:
      return undefined;
  }
}

/** True for messages of this protocol (others, such as prom-client's, pass by untouched). */
export function isPayhookMessage(m: unknown): boolean {
  return isObject(m) && typeof m.t === 'string' && m.t.startsWith('payhook:');
}
