// Liveness, readiness and metrics. /readyz turns 503 as soon as the instance starts draining, so
// a load balancer stops sending new calls while live ones finish.
import type { FastifyInstance } from 'fastify';
import type { MetricsText, ServerMetrics } from '../metrics.js';

export interface HealthState {
  /** False while starting and once draining has begun. */
  ready(): boolean;
  activeSessions(): number;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  state: HealthState,
  metrics: ServerMetrics,
  metricsText?: () => Promise<MetricsText | undefined>,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ready = state.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'draining', activeSessions: state.activeSessions() });
  });
  app.get('/metrics', async (_req, reply) => {
    if (metricsText) {
      // A cluster worker: the primary sums every worker's registry, so any worker's scrape is whole.
      const total = await metricsText();
      if (!total) return reply.code(503).type('text/plain').send('metrics of the other workers unavailable\n');
      return reply.type(total.contentType).send(total.text);
    }
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
