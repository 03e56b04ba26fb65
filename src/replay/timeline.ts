// The replay timeline: what happened in a call, in order, card-free. Times are milliseconds from
// the caller's `open`; the text form is stable so that two runs can be compared byte for byte.

export type TimelineKind = 'caller' | 'bot' | 'prompt' | 'digit' | 'dialog' | 'gateway' | 'mask' | 'protocol' | 'outcome' | 'note';

export interface TimelineEvent {
  readonly atMs: number;
  readonly kind: TimelineKind;
  readonly text: string;
}

export class Timeline {
  readonly events: TimelineEvent[] = [];

  constructor(readonly now: () => number) {}

  add(kind: TimelineKind, text: string): void {
    // Whole milliseconds: sub-ms jitter of a real clock is noise, and the virtual clock has none.
    this.events.push({ atMs: Math.round(this.now()), kind, text });
  }
}

/** One line per event: `  12.340  prompt    started enter_card_number`. Pure. */
export function formatTimeline(events: readonly TimelineEvent[]): string {
  return events.map((e) => `${(e.atMs / 1000).toFixed(3).padStart(9)}  ${e.kind.padEnd(8)}  ${e.text}`).join('\n');
}
