// deploy/k8s against the Kubernetes JSON schemas shipped offline by the npm package
// kubernetes-models (compiled from the Kubernetes OpenAPI definitions; types, formats, enums,
// required fields), plus the relations between numbers the schemas cannot see: drain times,
// probe paths, the autoscaling metric, the secrets the configuration reads.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const DIR = join(import.meta.dirname, '../../deploy/k8s');
/** Files that are not Kubernetes API objects (kustomize and Helm inputs). */
const NOT_API_OBJECTS = new Set(['kustomization.yaml', 'prometheus-adapter-rules.yaml']);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };

function manifests(): Array<{ file: string; doc: Manifest }> {
  const out: Array<{ file: string; doc: Manifest }> = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !NOT_API_OBJECTS.has(f)).sort()) {
    for (const d of parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))) {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
      out.push({ file, doc: d.toJS() as Manifest });
    }
  }
  return out;
}

/** Validates with the model class for apiVersion + kind; returns the error text or undefined. */
async function schemaErrors(doc: Manifest): Promise<string | undefined> {
  const module = (await import(`kubernetes-models/${doc.apiVersion}`)) as Record<string, new (d: unknown) => { validate(): void }>;
  const Model = module[doc.kind];
  if (!Model) return `no schema for ${doc.apiVersion} ${doc.kind}`;
  try {
    new Model(doc).validate();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function find<T = Record<string, any>>(kind: string): T {
  const m = manifests().find((x) => x.doc.kind === kind);
  if (!m) throw new Error(`no ${kind} in deploy/k8s`);
  return m.doc as T;
}

describe('the Kubernetes manifests', () => {
  const all = manifests();

  it('include the objects a production deployment needs', () => {
    expect(all.map((m) => m.doc.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PodDisruptionBudget', 'Secret', 'Service'],
    );
    const kustomization = readFileSync(join(DIR, 'kustomization.yaml'), 'utf8');
    for (const { file } of all) expect(kustomization).toContain(`- ${file}`);
  });

  for (const { file, doc } of all) {
    it(`${file}: ${doc.kind} ${doc.metadata.name} is valid against its schema`, async () => {
      expect(await schemaErrors(doc)).toBeUndefined();
    });
  }

  it('the schema check rejects a broken manifest', async () => {
    const broken = structuredClone(find('Deployment')) as Manifest & { spec: Record<string, unknown> };
    broken.spec.replicas = 'three';
    expect(await schemaErrors(broken)).toMatch(/replicas/);
    const noName = structuredClone(find('Deployment'));
    delete noName.spec.template.spec.containers[0].name;
    expect(await schemaErrors(noName as Manifest)).toMatch(/name/);
  });

  it('give the drain time to finish the longest call before the pod is killed', () => {
    const dep = find('Deployment');
    const pod = dep.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    const drain = Number(env.PAYHOOK_DRAIN_TIMEOUT_SECONDS);
    const preStop = Number(container.lifecycle.preStop.exec.command.at(-1));
    // A payment call: prompts, up to 3 attempts per field with timeouts, up to 3 declines and
    // the gateway; 10 minutes is far past any observed one.
    expect(drain).toBeGreaterThanOrEqual(600);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drain);
    expect(dep.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('probe readiness on /readyz and liveness on /healthz over the container port', () => {
    const c = find('Deployment').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.ports.map((p: any) => p.name)).toContain(c.readinessProbe.httpGet.port);
  });

  it('select the same pods in the Deployment, Service and PodDisruptionBudget', () => {
    const labels = find('Deployment').spec.template.metadata.labels;
    for (const sel of [find('Service').spec.selector, find('PodDisruptionBudget').spec.selector.matchLabels]) {
      for (const [k, v] of Object.entries(sel)) expect(labels[k]).toBe(v);
    }
  });

  it('autoscale on a metric PayHook exports', () => {
    const hpa = find('HorizontalPodAutoscaler');
    const name = hpa.spec.metrics[0].pods.metric.name as string;
    expect(readFileSync(join(import.meta.dirname, '../../src/server/metrics.ts'), 'utf8')).toContain(`'${name}'`);
    expect(readFileSync(join(DIR, 'prometheus-adapter-rules.yaml'), 'utf8')).toContain(name);
    expect(hpa.spec.scaleTargetRef.name).toBe(find('Deployment').metadata.name);
  });

  it('keep the signed Host, path and query through the ingress, with long WebSocket timeouts', () => {
    const ing = find('Ingress');
    const a = ing.metadata.annotations as Record<string, string>;
    for (const changesRequest of ['rewrite-target', 'upstream-vhost', 'use-regex', 'configuration-snippet', 'x-forwarded-prefix']) {
      expect(Object.keys(a).some((k) => k.endsWith(`/${changesRequest}`))).toBe(false);
    }
    expect(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(Number(a['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ing.spec.rules[0].http.paths[0].path).toBe('/');
  });

  it('configure PayHook validly from the ConfigMap and the Secret keys', () => {
    const file = find('ConfigMap').data['payhook.json'] as string;
    const secretKeys = Object.keys(find('Secret').stringData);
    const fake: Record<string, string> = {
      PAYHOOK_API_KEYS: JSON.stringify([{ apiKey: 'k8s-test-api-key', clientSecret: Buffer.alloc(32, 7).toString('base64'), connectors: ['payments'] }]),
      PAYHOOK_DATABASE_URL: 'postgres://payhook@db/payhook',
      GATEWAY_KEY: 'sk_test_x',
      PAYHOOK_ACCESS_TOKENS: 'a-token-of-sixteen-or-more',
    };
    expect(secretKeys.sort()).toEqual(Object.keys(fake).sort());
    const dir = mkdtempSync(join(tmpdir(), 'payhook-k8s-'));
    try {
      writeFileSync(join(dir, 'payhook.json'), file);
      const config = loadConfig({ file: join(dir, 'payhook.json'), env: { ...fake, PAYHOOK_INSTANCE_ID: 'payhook-abc' } });
      expect(config.store).toMatchObject({ backend: 'postgres', postgresUrl: fake.PAYHOOK_DATABASE_URL });
      expect(config.server.tls?.certFile.startsWith('/etc/payhook/tls/')).toBe(true);
      expect(config.server.instanceId).toBe('payhook-abc');
      expect(Object.keys(config.connectors)).toEqual(['payments']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
