// Span arithmetic for masked stretches of a recording: half-open sample intervals with a reason.
// Pure; positions are samples of the 8 kHz stream from its start.

export type MaskReason = 'dtmf' | 'dtmf_suspect' | 'secure_window';

export interface MaskSpan {
  /** First masked sample. */
  readonly start: number;
  /** One past the last masked sample. */
  readonly end: number;
  readonly reason: MaskReason;
  /** Secure windows only: the dialog's name for the window (e.g. 'card_number'); never a value. */
  readonly label?: string;
}

/** What the sidecar lists per span: sample and millisecond bounds, reason, optional window label. */
export interface SidecarSpan {
  readonly startSample: number;
  readonly endSample: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly reason: MaskReason;
  readonly label?: string;
}

export const SAMPLE_RATE = 8000;

export function samplesToMs(samples: number): number {
  return Math.round((samples * 1000 * 1000) / SAMPLE_RATE) / 1000;
}

/**
 * Merges overlapping or touching spans of the same reason (and label), and folds every suspected
 * span that overlaps a confirmed tone into that tone's span; pure, returns spans sorted by start.
 */
export function consolidateSpans(spans: readonly MaskSpan[]): MaskSpan[] {
  const byKey = new Map<string, MaskSpan[]>();
  for (const s of spans) {
    if (s.end <= s.start) continue;
    const key = `${s.reason}\u0000${s.label ?? ''}`;
    const list = byKey.get(key) ?? [];
    list.push(s);
    byKey.set(key, list);
  }
  const merged = new Map<string, MaskSpan[]>();
  for (const [key, list] of byKey) merged.set(key, mergeSorted(list));
  // Fold suspects into the confirmed tones they overlap, then merge the tones again.
  const dtmf = merged.get('dtmf\u0000') ?? [];
  const suspects = merged.get('dtmf_suspect\u0000') ?? [];
  const keptSuspects: MaskSpan[] = [];
  for (const s of suspects) {
    if (dtmf.some((d) => d.start < s.end && s.start < d.end)) dtmf.push({ start: s.start, end: s.end, reason: 'dtmf' });
    else keptSuspects.push(s);
  }
  if (dtmf.length > 0) merged.set('dtmf\u0000', mergeSorted(dtmf));
  merged.set('dtmf_suspect\u0000', keptSuspects);
  return [...merged.values()].flat().sort((a, b) => a.start - b.start || a.end - b.end);
}

function mergeSorted(list: MaskSpan[]): MaskSpan[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: MaskSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { ...last, end: Math.max(last.end, s.end) };
    else out.push({ ...s });
  }
  return out;
}

/** Samples covered by at least one span (whatever the reason); pure. */
export function coveredSamples(spans: readonly { start: number; end: number }[]): number {
  return unionOf(spans).reduce((n, s) => n + (s.end - s.start), 0);
}

/** The union of intervals as disjoint sorted intervals; pure. */
export function unionOf(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Samples of `spans` that fall outside every interval of `allowed`; pure. */
export function samplesOutside(spans: readonly { start: number; end: number }[], allowed: readonly { start: number; end: number }[]): number {
  const a = unionOf(allowed);
  let n = 0;
  for (const s of unionOf(spans)) {
    let inside = 0;
    for (const w of a) inside += Math.max(0, Math.min(s.end, w.end) - Math.max(s.start, w.start));
    n += s.end - s.start - inside;
  }
  return n;
}

export function toSidecarSpan(s: MaskSpan): SidecarSpan {
  const out: SidecarSpan = {
    startSample: s.start,
    endSample: s.end,
    startMs: samplesToMs(s.start),
    endMs: samplesToMs(s.end),
    reason: s.reason,
  };
  return s.label === undefined ? out : { ...out, label: s.label };
}
