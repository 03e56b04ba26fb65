// Historical reporting over HTTP: the report aggregates of the session store per hour or day and
// connector, and the reports page that charts them. Token-protected (docs/live-view.md).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createAccessTokens } from '../../live/access.js';
import { hasAccess, pageAsset, registerWebAssets, sendError, sendPage, tokenSafeLogSerializers } from '../../live/http.js';
import { loadWebAssets, pageSecurityHeaders, type WebAsset } from '../../live/web-assets.js';
import type { ReportBucket, ReportQuery, ReportRow } from '../../store/types.js';

export interface ReportRoutesDeps {
  /** The session store (only `report` is used). */
  store: { report(query: ReportQuery): Promise<ReportRow[]> };
  tokens: readonly string[];
  frameAncestors?: readonly string[];
  /** Wall clock for the default window; tests inject one. */
  now?: () => number;
  assets?: ReadonlyMap<string, WebAsset>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Longest window per bucket size: keeps one answer to a few hundred rows per connector. */
export const MAX_SPAN_MS: Record<ReportBucket, number> = { hour: 31 * DAY, day: 400 * DAY };
const DEFAULT_SPAN_MS: Record<ReportBucket, number> = { hour: DAY, day: 30 * DAY };

const time = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : Number.NaN;
    if (!Number.isFinite(ms)) ctx.addIssue({ code: 'custom', message: 'not a time' });
    return ms;
  });

const querySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  bucket: z.enum(['hour', 'day']).default('hour'),
  connectorId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/).optional(),
});

export type ParsedReportQuery = { ok: true; query: ReportQuery } | { ok: false };

/** The report window of a request: defaults to the last day (hour buckets) or 30 days (day buckets). Pure. */
export function parseReportQuery(raw: unknown, now: number): ParsedReportQuery {
  const r = querySchema.safeParse(raw ?? {});
  if (!r.success) return { ok: false };
  const { bucket, connectorId } = r.data;
  const to = r.data.to ?? now;
  const from = r.data.from ?? to - DEFAULT_SPAN_MS[bucket];
  if (!(from < to) || to - from > MAX_SPAN_MS[bucket]) return { ok: false };
  return { ok: true, query: { from, to, bucket, ...(connectorId ? { connectorId } : {}) } };
}

export function registerReportRoutes(app: FastifyInstance, deps: ReportRoutesDeps): void {
  const access = createAccessTokens(deps.tokens);
  const headers = pageSecurityHeaders(deps.frameAncestors ? { frameAncestors: deps.frameAncestors } : {});
  const assets = deps.assets ?? loadWebAssets();
  const reportsPage = pageAsset(assets, 'reports.html');
  const now = deps.now ?? Date.now;

  app.get('/api/v1/reports', async (req, reply) => {
    if (!hasAccess(req, access, 'header')) return sendError(reply, 'ERR_LIVE_UNAUTHORIZED');
    const parsed = parseReportQuery(req.query, now());
    if (!parsed.ok) return sendError(reply, 'ERR_LIVE_BAD_QUERY');
    const rows = await deps.store.report(parsed.query);
    return reply.header('cache-control', 'no-store').send({ ...parsed.query, rows });
  });

  app.get('/reports', { logSerializers: tokenSafeLogSerializers }, async (req, reply) => sendPage(req, reply, reportsPage, access, headers));
  registerWebAssets(app, assets, headers);
}
