// Media negotiation: which one of the client's offers the server echoes back in `opened`.
import type { MediaChannel, MediaParameter } from '../protocol/messages.js';

export type Flavour = 'audioconnector' | 'monitor';

type ChannelPattern = readonly MediaChannel[];

/**
 * Channel layouts each flavour accepts, best first. Audio Connector takes mono external only:
 * Genesys sends only the external (caller) channel there, and a payment bot listening to the
 * internal side alone would never hear the payer's keypad. Monitor prefers both channels (either
 * order, one tier), then the caller alone, then the agent side alone.
 */
const PREFERENCES: { readonly [F in Flavour]: ReadonlyArray<readonly ChannelPattern[]> } = {
  audioconnector: [[['external']]],
  monitor: [[['external', 'internal'], ['internal', 'external']], [['external']], [['internal']]],
};

function sameChannels(a: readonly MediaChannel[], b: ChannelPattern): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/**
 * Picks the offer to echo verbatim (the same object, so extra fields survive), or null when none
 * is PCMU at 8 kHz in an accepted layout. Pure. For Monitor the two stereo orders rank equally,
 * so the client's own order decides between them.
 */
export function selectMedia(offers: readonly MediaParameter[], flavour: Flavour): MediaParameter | null {
  const usable = offers.filter((o) => o.type === 'audio' && o.format === 'PCMU' && o.rate === 8000);
  for (const tier of PREFERENCES[flavour]) {
    const hit = usable.find((o) => tier.some((pattern) => sameChannels(o.channels, pattern)));
    if (hit) return hit;
  }
  return null;
}
