// The server's configuration: one typed object, parsed and validated once at start.
// Sources in order of precedence: environment variables, the JSON file, embedded defaults.
import { z } from 'zod';

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
  .refine((s) => Buffer.from(s, 'base64').length >= 16, 'must decode to at least 16 bytes');

export const apiKeySchema = z.strictObject({
  /** The X-API-KEY value Genesys sends (the integration's "API Key"). */
  apiKey: z.string().min(8, 'API keys must be at least 8 characters'),
  /** The integration's "Client Secret" (base64). Absent: this key may connect unsigned. */
  clientSecret: base64.optional(),
  /** Connector ids this key may use; "*" for all. */
  connectors: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]).default('*'),
  /** Organization id this key belongs to; when set, Audiohook-Organization-Id must match. */
  organizationId: z.uuid().optional(),
});
export type ApiKeyConfig = z.infer<typeof apiKeySchema>;

export const serverConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  tls: z
    .strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) })
    .optional(),
  /** Seconds a draining instance lets live calls finish before it disconnects them. */
  drainTimeoutSeconds: z.number().min(0).max(3600).default(120),
  /**
   * Names this instance in call records and live snapshots; default: the host name. Instances
   * sharing a database need distinct, stable names: at start an instance closes the records its
   * previous run left open, and only its own.
   */
  instanceId: z.string().min(1).max(128).optional(),
  /**
   * Worker processes serving the one port (node:cluster): 1 runs everything in one process,
   * "auto" one per core. Each Node.js process uses one core for its calls.
   */
  workers: z.union([z.number().int().min(1).max(64), z.literal('auto')]).default(1),
});

export const sessionLimitsSchema = z.strictObject({
  openTimeoutSeconds: z.number().positive().max(60).default(5),
  closeTimeoutSeconds: z.number().positive().max(120).default(10),
  idleTimeoutSeconds: z.number().positive().max(3600).default(60),
  maxSessions: z.number().int().positive().default(5000),
});

export const configSchema = z.strictObject({
  server: serverConfigSchema.default(serverConfigSchema.parse({})),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  apiKeys: z.array(apiKeySchema).default([]),
  sessions: sessionLimitsSchema.default(sessionLimitsSchema.parse({})),
  /**
   * Bot configuration per Audio Connector connector id (the last path segment of
   * /api/v1/audioconnector/:connectorId). Validated by the payment module's own schema.
   */
  connectors: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'connector ids are 1-64 of [A-Za-z0-9._-]'), z.unknown()).default({}),
  /** Where session records and the audit trail live. */
  store: z
    .strictObject({
      backend: z.enum(['sqlite', 'postgres', 'none']).default('sqlite'),
      /** SQLite: the database is <dataDir>/payhook.db. */
      dataDir: z.string().min(1).default('./data'),
      /** PostgreSQL connection string (postgres://...), for several instances sharing one database. */
      postgresUrl: z.string().startsWith('postgres').optional(),
    })
    .refine((s) => s.backend !== 'postgres' || s.postgresUrl !== undefined, { message: 'postgresUrl is required for the postgres backend', path: ['postgresUrl'] })
    .default({ backend: 'sqlite', dataDir: './data' }),
  /** The agent, supervisor and reports pages and their APIs. */
  live: z
    .strictObject({
      /** Bearer tokens that may read them (16+ characters). Empty: generated at start on loopback, else the pages are closed. */
      accessTokens: z.array(z.string().min(16, 'access tokens must be at least 16 characters')).default([]),
      /** Origins that may embed the pages in a frame (a Genesys agent script), e.g. https://apps.mypurecloud.com. */
      frameAncestors: z.array(z.string().min(1)).default([]),
      /** PostgreSQL NOTIFY channel the instances of one deployment share (store.backend postgres). */
      fanoutChannel: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier').optional(),
    })
    .default({ accessTokens: [], frameAncestors: [] }),
  /** Masked call recordings: a stereo WAV per call and/or a downstream AudioHook stream. */
  recording: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** WAV files and masks sidecars go here; relative paths are under the working directory. */
      dir: z.string().min(1).default('./data/recordings'),
      files: z.boolean().default(true),
      fill: z.enum(['silence', 'marker']).default('silence'),
      /** Send the masked audio to this AudioHook server (wss://, or ws:// on loopback). */
      downstream: z
        .strictObject({ url: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL'), apiKey: z.string().min(1), clientSecret: z.string().optional() })
        .optional(),
    })
    .default({ enabled: true, dir: './data/recordings', files: true, fill: 'silence' }),
  /** The sandbox gateway started inside the server, so a new user can pay with no other setup. */
  gatewaySim: z
    .strictObject({ enabled: z.boolean().default(false), port: z.number().int().min(0).max(65535).default(4242) })
    .default({ enabled: false, port: 4242 }),
});

export type PayhookConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
