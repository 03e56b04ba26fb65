// The call fixture format: a scripted caller (connector, input variables, caller steps), the
// gateway's behaviour and the expected outcome. Parsed once with zod; every problem is reported
// with its path. The same schema is exported as JSON Schema (fixtures/calls/schema.json).
import { z } from 'zod';

const KEYS = /^[0-9*#A-D]+$/;

export const KeyingSchema = z.enum(['inband', 'outofband', 'both']).describe(
  'inband: DTMF tones in the caller audio; outofband: AudioHook dtmf messages; both: the tone and the message for each key',
);

export const ToneSchema = z
  .object({
    onMs: z.number().int().min(10).max(2000).default(80).describe('tone duration per key, ms'),
    gapMs: z.number().int().min(0).max(5000).default(80).describe('silence after each key, ms'),
    levelDbm0: z.number().min(-50).max(3).default(-10).describe('level of the low-group tone, dBm0'),
    twistDb: z.number().min(-12).max(12).default(2).describe('high-group minus low-group level, dB'),
    freqOffset: z.number().min(-0.05).max(0.05).default(0).describe('relative frequency offset of both tones (0.015 = +1.5 %)'),
  })
  .strict();
export type ToneStyle = z.infer<typeof ToneSchema>;

const seconds = z.number().min(0).max(600);

export const StepSchema = z.discriminatedUnion('do', [
  z
    .object({
      do: z.literal('waitForPrompt'),
      thinkMs: z.number().int().min(0).max(30_000).default(300).describe('pause after the bot goes quiet'),
      timeoutSeconds: seconds.default(60).describe('give up waiting after this long (noted in the timeline)'),
    })
    .strict()
    .describe('wait until the bot has spoken and gone quiet (its audio drained at the caller)'),
  z.object({ do: z.literal('wait'), seconds }).strict().describe('stay silent for N seconds (silence keeps streaming)'),
  z
    .object({
      do: z.literal('press'),
      keys: z.string().min(1).max(64).regex(KEYS, 'keys are 0-9, *, #, A-D'),
      keying: KeyingSchema.optional().describe('default: the fixture\'s keying'),
      tone: ToneSchema.partial().optional().describe('overrides the fixture\'s tone style for this press'),
    })
    .strict(),
  z
    .object({
      do: z.literal('play'),
      wav: z.string().min(1).describe('path relative to the fixture; 8 kHz mono PCM16 or mu-law'),
      text: z.string().max(500).optional().describe('what the recording says (speech pre-rendered to a WAV)'),
    })
    .strict(),
  z.object({ do: z.literal('hangup') }).strict().describe('the caller hangs up (client close, reason end)'),
]);
export type Step = z.infer<typeof StepSchema>;

export const GatewayFaultSchema = z
  .union([z.enum(['timeout', '500', 'drop', 'refused']), z.string().regex(/^slow:\d{1,5}$/, 'slow:<ms>')])
  .describe('timeout: processed, never answered; 500: answered 500 before processing; drop: processed, connection reset; refused: connection refused; slow:<ms>: answered after ms');

export const GatewayBehaviourSchema = z
  .object({
    faults: z.array(GatewayFaultSchema).max(20).default([]).describe('applied to successive charge requests (tries), then normal answers'),
    down: z.boolean().default(false).describe('every request (charges and lookups) is refused'),
  })
  .strict();

const ResultSchema = z.enum([
  'approved', 'declined', 'not_identified', 'cancelled', 'too_many_attempts', 'gateway_error', 'invalid_request', 'hung_up',
]);

export const FixtureSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().min(1).max(500),
    connector: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('payments'),
    config: z.record(z.string(), z.unknown()).default({}).describe('payment configuration overrides for the connector (docs/payment.md)'),
    inputVariables: z.record(z.string(), z.string()).default({}),
    language: z.string().min(2).max(35).optional(),
    now: z.iso.datetime().default('2026-01-15T12:00:00Z').describe('wall clock at the start of the call (expiry checks)'),
    keying: KeyingSchema.default('outofband'),
    tone: ToneSchema.default(ToneSchema.parse({})),
    noiseDbm0: z.number().min(-80).max(-10).optional().describe('white noise under the whole caller side'),
    gateway: GatewayBehaviourSchema.default(GatewayBehaviourSchema.parse({})),
    steps: z.array(StepSchema).min(1).max(200),
    maxSeconds: z.number().min(1).max(1800).default(300).describe('the call must end within this time'),
    expect: z
      .object({
        result: ResultSchema,
        outputVariables: z.record(z.string(), z.string()).default({}).describe('each must match exactly; others are not checked'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Fixture = z.infer<typeof FixtureSchema>;
export type FixtureInput = z.input<typeof FixtureSchema>;

export interface FixtureIssue {
  readonly path: string;
  readonly message: string;
}

export type FixtureParse = { ok: true; fixture: Fixture } | { ok: false; code: 'ERR_REPLAY_FIXTURE_INVALID'; issues: FixtureIssue[] };

/** Validates a parsed JSON value as a fixture. Pure. */
export function parseFixture(raw: unknown): FixtureParse {
  const r = FixtureSchema.safeParse(raw);
  if (r.success) return { ok: true, fixture: r.data };
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  return { ok: false, code: 'ERR_REPLAY_FIXTURE_INVALID', issues };
}

/** The fixture format as JSON Schema (draft 2020-12), for editors and docs. */
export function fixtureJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FixtureSchema, { io: 'input' }) as Record<string, unknown>;
}
