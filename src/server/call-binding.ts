// The seam between a protocol session and what runs on it. The server makes one binding per
// accepted upgrade; the binding decides how `open` is answered and attaches the call (payment
// dialog, recorder, ...) to the session. Knowing nothing of payments keeps src/server thin.
import type { Logger } from '../core/log.js';
import type { AuthSuccess } from '../audiohook/auth/authenticate-upgrade.js';
import type { CloseHook, OpenHook, ServerSession } from '../audiohook/server/server-session.js';
import type { Flavour } from '../audiohook/server/media-select.js';

export interface CallContext {
  readonly flavour: Flavour;
  /** Audio Connector connector id (the route's last segment); undefined for Monitor. */
  readonly connectorId: string | undefined;
  readonly auth: AuthSuccess;
  readonly logger: Logger;
}

export interface CallBinding {
  readonly onOpen?: OpenHook;
  readonly onClose?: CloseHook;
  /** Called once the session exists, before any frame reaches it. */
  attach?(session: ServerSession): void;
}

export type CallFactory = (context: CallContext) => CallBinding;

/** A binding that only speaks the protocol: accepts every open, plays nothing. */
export const protocolOnlyCalls: CallFactory = () => ({ onOpen: () => ({ accept: true }) });
