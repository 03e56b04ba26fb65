// The client's only view of the network: a message pipe. The WebSocket transport and the
// in-memory pipe (tests, replay) both implement it, so the client core never touches ws.

export interface TransportHandlers {
  text(text: string): void;
  binary(bytes: Uint8Array): void;
  /** The connection is gone (either side closed it, or it failed); called once. */
  closed(code: number, reason: string): void;
}

export interface ClientTransport {
  sendText(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  /** Closes the connection; idempotent. */
  close(code?: number, reason?: string): void;
  /** Installs the receiver; anything that arrived earlier is delivered now, in order. */
  attach(handlers: TransportHandlers): void;
}
