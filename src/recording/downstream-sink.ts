// The downstream AudioHook sink: PayHook as an AudioHook client to another server (a recorder or a
// transcription service), streaming it the masked recording. With a Monitor session upstream this
// makes PayHook a masking relay. Whatever the downstream does (refuse, stall, disconnect, vanish) is
// logged and absorbed here: the call never waits for it and never fails because of it.
import { isSecureOrLoopbackUrl } from '../core/net.js';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import type { AudioHookClient } from '../audiohook/client/audiohook-client.js';
import { connectClient, type ConnectClientResult } from '../audiohook/client/connect.js';
import { MONITOR_STEREO_OFFERS } from '../audiohook/client/offers.js';
import type { ConnectOptions } from '../audiohook/client/ws-transport.js';
import type { MediaParameter, Participant } from '../audiohook/protocol/messages.js';
import type { MaskedChunk } from './masker.js';
import type { RecordingSink } from './sink.js';

export interface DownstreamOptions {
  /** wss:// URL of the downstream AudioHook endpoint (ws:// is refused unless the host is loopback). */
  readonly url: string;
  readonly apiKey: string;
  /** Base64 client secret; requests are signed when present. */
  readonly clientSecret?: string;
  readonly organizationId?: string;
  readonly conversationId?: string;
  readonly participant?: Participant;
  /** What to offer: both channels (with mono fallbacks, Monitor style) or the caller only. Default 'stereo'. */
  readonly media?: 'stereo' | 'caller';
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Audio frame length sent downstream; default 20 ms. */
  readonly frameMs?: number;
  /** Masked audio kept while the downstream is still opening; older audio is dropped. Default 5 s. */
  readonly maxBacklogMs?: number;
  readonly openTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
  /** Extra CA for wss:// to a private CA (verification stays on). */
  readonly ca?: string | Buffer;
  /** Test seam: how to connect (default connectClient over ws). */
  readonly connect?: typeof connectClient;
}

export type DownstreamState = 'connecting' | 'active' | 'failed' | 'closed';

export interface DownstreamStats {
  framesSent: number;
  /** Samples per channel sent downstream. */
  samplesSent: number;
  /** Samples per channel never sent (downstream not open in time, paused, failed or gone). */
  samplesDropped: number;
}

const CALLER_OFFER: readonly MediaParameter[] = [{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }];

export class DownstreamSink implements RecordingSink {
  readonly name = 'downstream';
  readonly stats: DownstreamStats = { framesSent: 0, samplesSent: 0, samplesDropped: 0 };
  readonly #logger: Logger;
  readonly #frameSamples: number;
  readonly #maxBacklog: number;
  readonly #ready: Promise<void>;
  #state: DownstreamState = 'connecting';
  #client: AudioHookClient | undefined;
  /** Which input channel (0 caller, 1 bot) feeds each negotiated channel. */
  #picks: number[] = [0, 1];
  /** Stereo bytes waiting to make up a frame (or for the open to finish). */
  #backlog: Uint8Array[] = [];
  #backlogSamples = 0;

  constructor(options: DownstreamOptions) {
    this.#logger = (options.logger ?? silentLogger()).child({ sink: 'downstream' });
    this.#frameSamples = Math.max(1, Math.round(((options.frameMs ?? 20) * 8000) / 1000));
    this.#maxBacklog = Math.round(((options.maxBacklogMs ?? 5000) * 8000) / 1000);
    this.#ready = this.#start(options);
  }

  get state(): DownstreamState {
    return this.#state;
  }

  /** Resolves once the downstream session is open or has failed. */
  ready(): Promise<void> {
    return this.#ready;
  }

  write(chunk: MaskedChunk): void {
    if (this.#state === 'failed' || this.#state === 'closed') {
      this.stats.samplesDropped += chunk.samples;
      return;
    }
    this.#backlog.push(chunk.stereo);
    this.#backlogSamples += chunk.samples;
    if (this.#state === 'connecting') {
      while (this.#backlogSamples > this.#maxBacklog) {
        const old = this.#backlog.shift()!;
        this.#backlogSamples -= old.length / 2;
        this.stats.samplesDropped += old.length / 2;
      }
      return;
    }
    this.#sendFrames(false);
  }

  async close(): Promise<void> {
    await this.#ready;
    if (this.#state !== 'active') {
      this.#drop();
      this.#state = this.#state === 'failed' ? 'failed' : 'closed';
      return;
    }
    this.#sendFrames(true);
    this.#state = 'closed';
    const outcome = await this.#client!.close('end');
    if (outcome.code !== 'CLOSED') this.#logger.warn({ code: 'ERR_RECORDING_DOWNSTREAM_LOST', outcome: outcome.code }, 'downstream close did not complete');
    this.#logger.info({ ...this.stats }, 'downstream stream closed');
  }

  async #start(o: DownstreamOptions): Promise<void> {
    // Card-free or not, call audio leaves the machine only over TLS.
    if (!secureOrLoopback(o.url)) return this.#fail('ERR_RECORDING_DOWNSTREAM_CONNECT', { result: 'INSECURE_URL' });
    const connect: ConnectOptions = {
      url: o.url,
      apiKey: o.apiKey,
      ...(o.clientSecret !== undefined ? { clientSecret: o.clientSecret } : {}),
      ...(o.organizationId !== undefined ? { organizationId: o.organizationId } : {}),
      ...(o.ca !== undefined ? { ca: o.ca } : {}),
      handshakeTimeoutMs: o.openTimeoutMs ?? 5000,
    };
    let result: ConnectClientResult;
    try {
      result = await (o.connect ?? connectClient)(connect, {
        clock: o.clock ?? systemClock,
        conversationId: o.conversationId ?? randomUUID(),
        ...(o.participant !== undefined ? { participant: o.participant } : {}),
        media: o.media === 'caller' ? CALLER_OFFER : MONITOR_STEREO_OFFERS,
        openTimeoutMs: o.openTimeoutMs ?? 5000,
        closeTimeoutMs: o.closeTimeoutMs ?? 5000,
        timeline: 'none',
      });
    } catch (error) {
      return this.#fail('ERR_RECORDING_DOWNSTREAM_CONNECT', { err: error });
    }
    if (!result.ok) return this.#fail('ERR_RECORDING_DOWNSTREAM_CONNECT', { result: result.code, status: 'status' in result ? result.status : undefined });
    const client = result.client;
    this.#client = client;
    client.onListenerError = (event, error) => this.#logger.warn({ code: 'ERR_RECORDING_SINK', event, err: error }, 'downstream listener failed');
    client.on('disconnect', (p) => this.#lost({ reason: p.reason }));
    client.on('ended', (code) => this.#lost({ wsCode: code }));
    const opened = await client.open();
    if (opened.code !== 'OPENED') {
      const detail = opened.code === 'FAILED' ? { violation: opened.violation.code } : opened.code === 'DISCONNECTED' ? { reason: opened.parameters.reason } : {};
      this.#fail('ERR_RECORDING_DOWNSTREAM_OPEN', { outcome: opened.code, ...detail });
      void client.close('error');
      return;
    }
    if (this.#state !== 'connecting') return;
    const channels = opened.parameters.media[0]?.channels ?? ['external'];
    this.#picks = channels.map((c) => (c === 'internal' ? 1 : 0));
    this.#state = 'active';
    this.#logger.info({ channels }, 'downstream stream opened');
    this.#sendFrames(false);
  }

  /** Sends whole frames from the backlog (and the remainder when `all`). */
  #sendFrames(all: boolean): void {
    if (this.#backlogSamples === 0 || !this.#client) return;
    const stereo = this.#backlog.length === 1 ? this.#backlog[0]! : new Uint8Array(Buffer.concat(this.#backlog));
    const total = this.#backlogSamples;
    const whole = all ? total : total - (total % this.#frameSamples);
    for (let at = 0; at < whole; at += this.#frameSamples) {
      const n = Math.min(this.#frameSamples, whole - at);
      const frame = this.#pick(stereo, at, n);
      if (this.#client.sendAudio(frame)) {
        this.stats.framesSent++;
        this.stats.samplesSent += n;
      } else this.stats.samplesDropped += n;
    }
    const rest = stereo.subarray(whole * 2);
    this.#backlog = rest.length > 0 ? [rest] : [];
    this.#backlogSamples = total - whole;
  }

  #pick(stereo: Uint8Array, from: number, n: number): Uint8Array {
    const picks = this.#picks;
    if (picks.length === 2 && picks[0] === 0 && picks[1] === 1) return stereo.slice(from * 2, (from + n) * 2);
    const out = new Uint8Array(n * picks.length);
    for (let i = 0; i < n; i++) for (let c = 0; c < picks.length; c++) out[i * picks.length + c] = stereo[(from + i) * 2 + picks[c]!]!;
    return out;
  }

  #lost(detail: Record<string, unknown>): void {
    if (this.#state !== 'active') return;
    this.#fail('ERR_RECORDING_DOWNSTREAM_LOST', detail);
  }

  #fail(code: string, detail: Record<string, unknown>): void {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    this.#state = 'failed';
    this.#drop();
    this.#logger.warn({ code, ...detail }, 'downstream recording stream failed; the call continues without it');
  }

  #drop(): void {
    this.stats.samplesDropped += this.#backlogSamples;
    this.#backlog = [];
    this.#backlogSamples = 0;
  }
}

/** wss:// anywhere, ws:// only to a loopback address; pure. */
export function secureOrLoopback(url: string): boolean {
  return isSecureOrLoopbackUrl(url, 'wss:', 'ws:');
}

export function createDownstreamSink(options: DownstreamOptions): DownstreamSink {
  return new DownstreamSink(options);
}
