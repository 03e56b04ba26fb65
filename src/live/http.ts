// The HTTP edge shared by the live and reports routes: token checks, the 401 answers, the page
// and asset responses with their security headers, and log serializers that keep `?token=`
// out of request logs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, redactToken, type AccessTokens } from './access.js';
import { LIVE_ERRORS, type LiveErrorCode } from './errors.js';
import type { WebAsset } from './web-assets.js';

export type TokenSource = 'header' | 'header-or-query';

function queryToken(req: FastifyRequest): string | undefined {
  const q = req.query as Record<string, unknown> | undefined;
  const t = q?.token;
  return typeof t === 'string' ? t : undefined;
}

/** True when the request carries a configured token (the query only where `source` allows it). */
export function hasAccess(req: FastifyRequest, access: AccessTokens, source: TokenSource): boolean {
  const header = bearerToken(req.headers.authorization);
  if (header !== undefined) return access.check(header);
  return source === 'header-or-query' && access.check(queryToken(req));
}

/** A registry error as the API's JSON answer: fixed message, never built from input. */
export function sendError(reply: FastifyReply, code: LiveErrorCode, headers: Record<string, string> = {}): FastifyReply {
  const spec = LIVE_ERRORS[code];
  if (code === 'ERR_LIVE_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer');
  return reply.code(spec.status ?? 500).headers(headers).send({ error: { code, message: spec.message } });
}

const UNAUTHORIZED_PAGE = Buffer.from(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PayHook: access token required</title><link rel="icon" href="/web/favicon.svg" type="image/svg+xml">' +
    '<link rel="stylesheet" href="/web/app.css"></head><body><main class="denied"><h1>Access token required</h1>' +
    '<p>Open this page with the link your administrator gave you (it ends in <code>token=…</code>).</p></main></body></html>',
);

/** A page, or the 401 page when the request has no valid token. */
export function sendPage(req: FastifyRequest, reply: FastifyReply, page: WebAsset, access: AccessTokens, headers: Record<string, string>): FastifyReply {
  reply.headers(headers).type('text/html; charset=utf-8');
  if (!hasAccess(req, access, 'header-or-query')) return reply.code(401).send(UNAUTHORIZED_PAGE);
  return reply.send(page.body);
}

/** Request log lines of token-bearing routes show the URL with the token replaced. */
export const tokenSafeLogSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: redactToken(req.url), remoteAddress: req.ip }),
};

/** Serves the page scripts and styles at /web/<name>; safe to call from several route modules. */
export function registerWebAssets(app: FastifyInstance, assets: ReadonlyMap<string, WebAsset>, headers: Record<string, string>): void {
  if (app.hasRoute({ method: 'GET', url: '/web/:name' })) return;
  app.get<{ Params: { name: string } }>('/web/:name', async (req, reply) => {
    const asset = assets.get(req.params.name);
    reply.headers(headers);
    if (!asset || asset.type.startsWith('text/html')) return reply.code(404).type('text/plain').send('not found');
    return reply.type(asset.type).send(asset.body);
  });
}

/** The named page file, loaded at start-up: a missing one is a packaging bug. */
export function pageAsset(assets: ReadonlyMap<string, WebAsset>, name: string): WebAsset {
  const asset = assets.get(name);
  if (!asset) throw new Error(`web page missing from the package: ${name}`);
  return asset;
}
