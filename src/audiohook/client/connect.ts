// One step from a URL to a ready AudioHookClient: signed upgrade, then the client over ws, with
// the ids of the upgrade headers carried into the protocol messages.
import { AudioHookClient, type AudioHookClientOptions } from './audiohook-client.js';
import { connectWebSocket, type ConnectOptions, type ConnectResult } from './ws-transport.js';

export type ConnectClientResult =
  | { readonly ok: true; readonly client: AudioHookClient; readonly correlationId: string }
  | Exclude<ConnectResult, { ok: true }>;

/** Connects and wraps the socket in a client; call client.open() next. */
export async function connectClient(
  connect: ConnectOptions,
  client: Omit<AudioHookClientOptions, 'transport' | 'sessionId' | 'organizationId'> = {},
): Promise<ConnectClientResult> {
  const result = await connectWebSocket(connect);
  if (!result.ok) return result;
  return {
    ok: true,
    correlationId: result.correlationId,
    client: new AudioHookClient({
      ...client,
      transport: result.transport,
      sessionId: result.sessionId,
      organizationId: result.organizationId,
    }),
  };
}
