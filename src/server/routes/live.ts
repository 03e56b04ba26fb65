// The live view over HTTP: the supervisor's session list, SSE feeds of one conversation and of
// every session, and the agent and supervisor pages. Token-protected (docs/live-view.md).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createAccessTokens, type AccessTokens } from '../../live/access.js';
import { followAll, followConversation, type StopFeed } from '../../live/feeds.js';
import { hasAccess, pageAsset, registerWebAssets, sendError, sendPage, tokenSafeLogSerializers } from '../../live/http.js';
import type { LiveHub } from '../../live/live-hub.js';
import { SseStream } from '../../live/sse.js';
import { loadWebAssets, pageSecurityHeaders, type WebAsset } from '../../live/web-assets.js';

export interface LiveRoutesDeps {
  hub: LiveHub;
  /** Accepted access tokens (each at least 16 characters); an empty list admits nobody. */
  tokens: readonly string[];
  /** CSP frame-ancestors sources allowed to embed the pages (e.g. a Genesys Cloud script). */
  frameAncestors?: readonly string[];
  /** SSE heartbeat period; default 15 s. */
  heartbeatMs?: number;
  /** Page files; default: the package's src/web. */
  assets?: ReadonlyMap<string, WebAsset>;
}

const CONVERSATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function registerLiveRoutes(app: FastifyInstance, deps: LiveRoutesDeps): void {
  const access: AccessTokens = createAccessTokens(deps.tokens);
  const headers = pageSecurityHeaders(deps.frameAncestors ? { frameAncestors: deps.frameAncestors } : {});
  const assets = deps.assets ?? loadWebAssets();
  const agentPage = pageAsset(assets, 'agent.html');
  const supervisorPage = pageAsset(assets, 'supervisor.html');
  const streams = new Set<SseStream>();

  // Open streams would hold app.close() until their calls end: end them first.
  app.addHook('preClose', async () => {
    for (const s of [...streams]) s.end();
  });

  const stream = (req: FastifyRequest, reply: FastifyReply, follow: (sse: SseStream) => StopFeed) => {
    reply.hijack();
    const sse = new SseStream(reply.raw, { headers, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) });
    streams.add(sse);
    const stop = follow(sse);
    sse.onClose(() => {
      stop();
      streams.delete(sse);
    });
    req.raw.on('close', () => sse.end());
  };

  const sseOpts = { logSerializers: tokenSafeLogSerializers };

  app.get('/api/v1/live/sessions', async (req, reply) => {
    if (!hasAccess(req, access, 'header')) return sendError(reply, 'ERR_LIVE_UNAUTHORIZED');
    return reply.header('cache-control', 'no-store').send({ sessions: deps.hub.list() });
  });

  app.get<{ Params: { conversationId: string } }>('/api/v1/live/sessions/:conversationId/events', sseOpts, async (req, reply) => {
    if (!hasAccess(req, access, 'header-or-query')) return sendError(reply, 'ERR_LIVE_UNAUTHORIZED', headers);
    const { conversationId } = req.params;
    if (!CONVERSATION_ID.test(conversationId)) return sendError(reply, 'ERR_LIVE_BAD_QUERY', headers);
    stream(req, reply, (sse) => followConversation(deps.hub, conversationId, sse));
  });

  app.get('/api/v1/live/events', sseOpts, async (req, reply) => {
    if (!hasAccess(req, access, 'header-or-query')) return sendError(reply, 'ERR_LIVE_UNAUTHORIZED', headers);
    stream(req, reply, (sse) => followAll(deps.hub, sse));
  });

  app.get('/agent', sseOpts, async (req, reply) => sendPage(req, reply, agentPage, access, headers));
  app.get('/supervisor', sseOpts, async (req, reply) => sendPage(req, reply, supervisorPage, access, headers));
  registerWebAssets(app, assets, headers);
}
