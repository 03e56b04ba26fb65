// The AudioHook WebSocket routes. Authentication runs in onRequest, before the upgrade, so a
// refused client gets a plain HTTP status (never sooner than 500 ms: no timing side channel).
// An accepted upgrade becomes one ServerSession fed by the socket's frames.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { AUTH_FAILURE_MIN_DELAY_MS, authenticateUpgrade, type AuthDeps, type AuthSuccess } from '../../audiohook/auth/authenticate-upgrade.js';
import { authErrors } from '../../audiohook/auth/errors.js';
import { ServerSession, type SessionLimits } from '../../audiohook/server/server-session.js';
import type { Flavour } from '../../audiohook/server/media-select.js';
import type { CallFactory } from '../call-binding.js';
import { SERVER_ERRORS } from '../errors.js';
import type { ServerMetrics } from '../metrics.js';
import type { SessionRegistry } from '../session-registry.js';

/** The one body of every refused authentication (see docs/protocol-auth.md). */
export const AUTH_REFUSED_MESSAGE = 'upgrade refused';

export const AUDIO_CONNECTOR_PATH = '/api/v1/audioconnector/:connectorId';
export const MONITOR_PATH = '/api/v1/audiohook/ws';

export interface AudiohookRouteDeps {
  auth: AuthDeps;
  calls: CallFactory;
  registry: SessionRegistry;
  metrics: ServerMetrics;
  clock: Clock;
  limits: Partial<SessionLimits>;
  maxSessions: number;
  connectorExists(connectorId: string): boolean;
  /** The organization an API key is restricted to, if its configuration names one. */
  organizationOf(apiKey: string): string | undefined;
  draining(): boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    audiohookAuth?: AuthSuccess;
  }
}

type RefusalCode = keyof typeof authErrors | keyof typeof SERVER_ERRORS;

export function registerAudiohookRoutes(app: FastifyInstance, deps: AudiohookRouteDeps): void {
  const refuse = async (request: FastifyRequest, reply: FastifyReply, code: RefusalCode, status: number, arrivedAt: number) => {
    deps.metrics.authFailures.inc({ code });
    request.log.warn({ code, status }, 'upgrade refused');
    // Every refusal takes at least the same time, whatever failed first.
    const wait = arrivedAt + AUTH_FAILURE_MIN_DELAY_MS - deps.clock.now();
    if (wait > 0) await new Promise<void>((resolve) => deps.clock.setTimeout(resolve, wait));
    // Which authentication check failed is for our logs only: a prober gets the status and one
    // fixed body. Server conditions (draining, at capacity, unknown connector) may say what they are.
    if (code in authErrors) return reply.code(status).send({ message: AUTH_REFUSED_MESSAGE });
    return reply.code(status).send({ code, message: SERVER_ERRORS[code as keyof typeof SERVER_ERRORS].message });
  };

  const authenticate = (flavour: Flavour) => async (request: FastifyRequest, reply: FastifyReply) => {
    const arrivedAt = deps.clock.now();
    if (!request.ws) return refuse(request, reply, 'ERR_SERVER_NOT_WEBSOCKET', 426, arrivedAt);
    if (deps.draining()) return refuse(request, reply, 'ERR_SERVER_DRAINING', 503, arrivedAt);
    if (deps.registry.size >= deps.maxSessions) return refuse(request, reply, 'ERR_SERVER_AT_CAPACITY', 503, arrivedAt);
    const connectorId = flavour === 'audioconnector' ? (request.params as { connectorId: string }).connectorId : undefined;
    const result = await authenticateUpgrade(
      { method: request.method, url: request.url, headers: request.headers, ...(connectorId === undefined ? {} : { connectorId }) },
      deps.auth,
    );
    if (!result.ok) return refuse(request, reply, result.code, result.status, arrivedAt);
    const organization = deps.organizationOf(result.apiKey);
    if (organization !== undefined && organization.toLowerCase() !== result.organizationId.toLowerCase()) {
      return refuse(request, reply, 'ERR_AUTH_ORGANIZATION_FORBIDDEN', 403, arrivedAt);
    }
    // Checked after authentication so unauthenticated callers cannot probe which connectors exist.
    if (connectorId !== undefined && !deps.connectorExists(connectorId)) {
      return refuse(request, reply, 'ERR_SERVER_UNKNOWN_CONNECTOR', 404, arrivedAt);
    }
    request.audiohookAuth = result;
  };

  const handler = (flavour: Flavour) => (socket: WebSocket, request: FastifyRequest) => {
    const auth = request.audiohookAuth!;
    const connectorId = flavour === 'audioconnector' ? (request.params as { connectorId: string }).connectorId : undefined;
    // fastify's request logger is the pino instance given to buildApp, typed more loosely.
    const logger = request.log.child({ route: flavour, correlationId: auth.correlationId }) as unknown as Logger;
    const binding = deps.calls({ flavour, connectorId, auth, logger });
    const session = new ServerSession({
      socket,
      sessionId: auth.sessionId,
      organizationId: auth.organizationId,
      flavour,
      clock: deps.clock,
      logger,
      limits: deps.limits,
      ...(connectorId === undefined ? {} : { connectorId }),
      ...(binding.onOpen ? { onOpen: binding.onOpen } : {}),
      ...(binding.onClose ? { onClose: binding.onClose } : {}),
    });
    instrument(session, flavour, deps);
    deps.registry.add(session);
    binding.attach?.(session);

    // Listeners attach synchronously, so no frame that arrives right after the upgrade is lost.
    socket.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (isBinary) session.handleBinary(bytes);
      else session.handleText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    });
    socket.on('close', () => session.handleSocketClosed());
    socket.on('error', (err) => {
      logger.warn({ code: 'ERR_SERVER_SOCKET', err: { message: err.message } }, 'socket error');
      session.handleSocketClosed();
    });
  };

  app.get(AUDIO_CONNECTOR_PATH, { websocket: true, onRequest: authenticate('audioconnector') }, handler('audioconnector'));
  app.get(MONITOR_PATH, { websocket: true, onRequest: authenticate('monitor') }, handler('monitor'));
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function instrument(session: ServerSession, route: Flavour, deps: AudiohookRouteDeps): void {
  const { metrics, clock } = deps;
  metrics.activeSessions.inc({ route });
  let openReceivedAt: number | undefined;
  session.observer.on('message', (direction, type, bytes) => {
    if (direction === 'in' && type === 'open' && openReceivedAt === undefined) openReceivedAt = clock.now();
    metrics.traffic.count(direction, type, bytes);
  });
  session.once('opened', () => {
    if (openReceivedAt !== undefined) metrics.openLatency.observe((clock.now() - openReceivedAt) / 1000);
  });
  session.once('ended', (summary) => {
    metrics.activeSessions.dec({ route });
    metrics.sessionsTotal.inc({ route, outcome: summary.disconnected ?? summary.cause });
    for (const [code, n] of Object.entries(summary.counters.faults)) if (n) metrics.protocolErrors.inc({ code }, n);
  });
}
