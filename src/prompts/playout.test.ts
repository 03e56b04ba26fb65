import { describe, expect, it } from 'vitest';
import { VirtualClock, type Clock, type TimerHandle } from '../core/clock.js';
import { createLogger } from '../core/log.js';
import { seededRandom } from '../audio/tones.js';
import { catalogFor } from './catalog.js';
import { Playout, type PlayoutPort, type PromptOutcome } from './playout.js';
import { renderPrompt } from './render.js';
import { ITEM_GAP_MS } from './say/index.js';
import { phrase, prompt, type PromptSpec } from './spec.js';

class FakePort implements PlayoutPort {
  chunks: Array<{ at: number; bytes: Uint8Array }> = [];
  events: Array<{ at: number; type: string }> = [];
  constructor(readonly clock: Clock) {}
  sendAudio(chunk: Uint8Array): boolean {
    this.chunks.push({ at: this.clock.now(), bytes: chunk });
    return true;
  }
  sendEvent(entities: Array<{ type: string; data: Record<string, unknown> }>): void {
    for (const e of entities) this.events.push({ at: this.clock.now(), type: e.type });
  }
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.bytes.length, 0);
  }
}

function setup(clock = new VirtualClock(10_000)) {
  const port = new FakePort(clock);
  const playout = new Playout({ port, clock, catalog: catalogFor('en-US') });
  const log: string[] = [];
  playout.on('promptstarted', (name, start, info) => log.push(`started ${name} @${start}${info.sensitive ? ' sensitive' : ''}`));
  playout.on('promptfinished', (name, interrupted, o) => log.push(`finished ${name} ${interrupted ? 'interrupted' : 'complete'} (${o.reason})`));
  return { clock, port, playout, log };
}

const catalog = catalogFor('en-US');
const durationMs = (spec: PromptSpec) => renderPrompt(catalog, spec).length / 8;
const welcome = prompt('welcome', [phrase('welcome')]);
const enterCard = prompt('enter_card_number', [phrase('enter_card_number')]);
const readback = prompt('readback_card', [phrase('card_ending_in'), { kind: 'digits', digits: '4242' }], { sensitive: true });

describe('Playout', () => {
  it('reports a prompt finished when its last sample has played at the caller, by the pacing estimate', () => {
    const { clock, playout, log } = setup();
    const outcomes: PromptOutcome[] = [];
    playout.play(welcome).finished.then((o) => outcomes.push(o));
    const endsAt = 10_000 + durationMs(welcome);
    clock.advanceTo(endsAt - 1);
    expect(log).toEqual(['started welcome @0']);
    clock.advanceTo(endsAt);
    expect(log).toEqual(['started welcome @0', 'finished welcome complete (played)']);
    expect(playout.busy).toBe(false);
  });

  it('gives queued prompts stream positions that follow one another with the item gap between', () => {
    const { clock, playout, log } = setup();
    playout.play(welcome);
    playout.play(enterCard);
    clock.advance(20_000);
    const welcomeEnd = durationMs(welcome) * 8;
    // "started" is when the first sample is sent, which runs the lead ahead of the caller's ear.
    expect(log).toEqual([
      'started welcome @0',
      `started enter_card_number @${welcomeEnd + ITEM_GAP_MS * 8}`,
      'finished welcome complete (played)',
      'finished enter_card_number complete (played)',
    ]);
  });

  it('flags sensitive prompts in its events and never lets them be barged in', () => {
    const { clock, port, playout, log } = setup();
    playout.play(readback);
    clock.advance(300);
    expect(log).toEqual(['started readback_card @0 sensitive']);
    expect(playout.bargeIn()).toBe(false);
    clock.advance(10_000);
    expect(log.at(-1)).toBe('finished readback_card complete (played)');
    expect(port.events).toEqual([]);
  });

  it('stops at once on barge-in, drops the queue and tells Genesys to discard its buffer', async () => {
    const { clock, port, playout, log } = setup();
    const first = playout.play(welcome);
    playout.play(enterCard);
    clock.advance(500);
    const sentBefore = port.bytes;
    expect(playout.bargeIn()).toBe(true);
    expect(port.events).toEqual([{ at: 10_500, type: 'barge_in' }]);
    expect(log.slice(1)).toEqual(['finished welcome interrupted (barge_in)', 'finished enter_card_number interrupted (barge_in)']);
    expect((await first.finished).interrupted).toBe(true);
    clock.advance(10_000);
    expect(port.bytes).toBe(sentBefore);
    expect(playout.busy).toBe(false);
  });

  it('starts a prompt queued after barge-in straight away, with no gap behind the flushed audio', () => {
    const { clock, port, playout } = setup();
    playout.play(welcome);
    clock.advance(500);
    playout.bargeIn();
    const chunksBefore = port.chunks.length;
    playout.play(enterCard);
    expect(port.chunks.length).toBe(chunksBefore + 1);
    expect(port.chunks.at(-1)!.at).toBe(10_500);
    expect(port.chunks.at(-1)!.bytes.some((b) => b !== 0xff)).toBe(true);
  });

  it('cancelAll stops even a prompt that does not allow barge-in', () => {
    const { clock, port, playout, log } = setup();
    playout.play(readback);
    clock.advance(300);
    playout.cancelAll();
    expect(log.at(-1)).toBe('finished readback_card interrupted (cancelled)');
    expect(port.events.map((e) => e.type)).toEqual(['barge_in']);
  });

  it('finishes fully sent prompts early on playback_completed, but not one still queued or being sent', () => {
    const { clock, playout, log } = setup();
    const short = prompt('short', [phrase('star')]);
    playout.play(short);
    playout.play(welcome);
    expect(durationMs(short)).toBeGreaterThan(400);
    clock.advance(300); // short is fully sent but still playing; welcome waits its turn
    playout.playbackStarted();
    expect(playout.clientPlaying).toBe(true);
    playout.playbackCompleted();
    expect(log).toEqual(['started short @0', 'finished short complete (confirmed)']);
    expect(playout.clientPlaying).toBe(false);
    clock.advance(1000); // welcome is being sent now; a stale playback_completed must not end it
    playout.playbackCompleted();
    expect(log.at(-1)).toMatch(/^started welcome/);
    clock.advance(10_000);
    expect(log.at(-1)).toBe('finished welcome complete (played)');
  });

  it('refuses a value it cannot say before queueing anything, without echoing the value', () => {
    const { clock, port, playout } = setup();
    const bad = prompt('readback_expiry', [{ kind: 'expiry', mmyy: '1399' }], { sensitive: true });
    let error: unknown;
    try {
      playout.play(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_PROMPTS_BAD_VALUE', detail: { prompt: 'readback_expiry', reason: 'expiry_not_mmyy' } });
    expect(JSON.stringify(error) + String(error)).not.toContain('1399');
    clock.advance(1000);
    expect(port.chunks).toEqual([]);
  });

  it('close finishes what was queued, sends nothing more and refuses new prompts', () => {
    const { clock, port, playout, log } = setup();
    playout.play(welcome);
    clock.advance(300);
    const sent = port.bytes;
    playout.close();
    playout.close();
    expect(log.at(-1)).toBe('finished welcome interrupted (closed)');
    expect(() => playout.play(welcome)).toThrow(expect.objectContaining({ code: 'ERR_PROMPTS_PLAYOUT_CLOSED' }));
    clock.advance(5000);
    expect(port.bytes).toBe(sent);
  });

  it('a throwing listener does not stop the audio', () => {
    const { clock, port, playout } = setup();
    playout.on('promptstarted', () => {
      throw new Error('listener bug');
    });
    playout.play(welcome);
    clock.advance(10_000);
    expect(port.bytes).toBeGreaterThanOrEqual(durationMs(welcome) * 8);
  });

  it('exposes the outbound stream position in samples', () => {
    const { clock, port, playout } = setup();
    playout.play(welcome);
    clock.advance(1000);
    expect(playout.position).toBe(port.bytes);
    expect(playout.position).toBeGreaterThan(8 * 1000);
  });

  it('never logs the items of a prompt', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
    const clock = new VirtualClock();
    const playout = new Playout({ port: new FakePort(clock), clock, catalog, logger });
    playout.play(prompt('readback', [{ kind: 'digits', digits: '987654' }, { kind: 'expiry', mmyy: '0931' }], { sensitive: true }));
    clock.advance(20_000);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/987654|0931|num\.|digits/);
  });
});

/** A clock whose timers fire up to `maxLateMs` late, as a loaded event loop's do. */
class LateClock implements Clock {
  constructor(
    readonly inner: VirtualClock,
    readonly late: () => number,
  ) {}
  now = () => this.inner.now();
  setTimeout = (fn: () => void, ms: number): TimerHandle => this.inner.setTimeout(fn, ms + this.late());
  clearTimeout = (h: TimerHandle | undefined) => this.inner.clearTimeout(h);
}

describe('Playout pacing against the Genesys playout buffer', () => {
  // The client's buffer: bytes received minus 8000 B/s consumed since the first audio arrived.
  function runMinute(maxLateMs: number) {
    const virtual = new VirtualClock(0);
    const random = seededRandom(7);
    const clock = new LateClock(virtual, () => random() * maxLateMs);
    const port = new FakePort(clock);
    const playout = new Playout({ port, clock, catalog, chunkMs: 200, leadMs: 150 });
    const call = [
      welcome,
      prompt('amount', [phrase('amount_due'), { kind: 'amount', minor: 123456, currency: 'USD' }]),
      prompt('choose', [phrase('choose_amount')]),
      enterCard,
      readback,
      prompt('expiry', [phrase('enter_expiry')]),
      prompt('approved', [phrase('approved'), phrase('your_reference_is'), { kind: 'reference', text: 'AB12CD' }]),
      prompt('goodbye', [phrase('goodbye')]),
    ];
    // Two prompts queued up front; each later one queued when the one before starts, as a dialog would.
    let queued = 0;
    let total = 0;
    const queueNext = () => {
      if (total >= 60_000) return;
      const spec = call[queued++ % call.length]!;
      total += durationMs(spec) + ITEM_GAP_MS;
      playout.play(spec);
    };
    playout.on('promptstarted', queueNext);
    queueNext();
    queueNext();
    virtual.advance(90_000);
    expect(total).toBeGreaterThanOrEqual(60_000);

    const t0 = port.chunks[0]!.at;
    let received = 0;
    let minBefore = Infinity;
    let maxAfter = -Infinity;
    for (const [i, { at, bytes }] of port.chunks.entries()) {
      const consumed = ((at - t0) * 8000) / 1000;
      if (i > 0) minBefore = Math.min(minBefore, received - consumed);
      received += bytes.length;
      maxAfter = Math.max(maxAfter, received - consumed);
    }
    const gaps = port.chunks.slice(1).map((c, i) => c.at - port.chunks[i]!.at);
    return { port, minBeforeMs: minBefore / 8, maxAfterMs: maxAfter / 8, gaps, received };
  }

  it('keeps the buffer between 0 and lead + one chunk for a minute of prompts, in 100-250 ms chunks', () => {
    const { port, minBeforeMs, maxAfterMs, received } = runMinute(0);
    expect(received / 8000).toBeGreaterThanOrEqual(60);
    expect(minBeforeMs).toBeGreaterThanOrEqual(150 - 1e-6); // never under the lead: no gap
    expect(maxAfterMs).toBeLessThanOrEqual(150 + 200 + 1e-6);
    for (const c of port.chunks) {
      expect(c.bytes.length).toBeLessThanOrEqual(64000);
      expect(c.bytes.length).toBeGreaterThanOrEqual(800);
      expect(c.bytes.length).toBeLessThanOrEqual(2000);
    }
  });

  it('absorbs timers firing up to 100 ms late without a gap or drift', () => {
    const { minBeforeMs, maxAfterMs, gaps } = runMinute(100);
    expect(minBeforeMs).toBeGreaterThanOrEqual(150 - 100 - 1e-6);
    expect(maxAfterMs).toBeLessThanOrEqual(150 + 200 + 1e-6);
    // Late timers shorten the next interval instead of pushing the whole schedule back.
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(210);
  });
});
