import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

const value = async (text: Promise<string>, line: RegExp) => Number(line.exec(await text)?.[1] ?? NaN);

describe('message and byte counters', () => {
  it('sum every counted message into the scrape, once, whichever counter is read first', async () => {
    const m = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < 5; i++) m.traffic.count('in', 'audio', 1600);
    m.traffic.count('out', 'opened', 120);
    const first = m.registry.metrics();
    expect(await value(first, /payhook_messages_total\{direction="in",type="audio"\} (\d+)/)).toBe(5);
    expect(await value(first, /payhook_bytes_total\{direction="in",kind="audio"\} (\d+)/)).toBe(8000);
    expect(await value(first, /payhook_bytes_total\{direction="out",kind="text"\} (\d+)/)).toBe(120);
    // Counts already moved into the counters are not added again; new ones are.
    m.traffic.count('in', 'audio', 1600);
    const bytesOnly = await m.registry.getSingleMetricAsString('payhook_bytes_total');
    expect(bytesOnly).toMatch(/payhook_bytes_total\{direction="in",kind="audio"\} 9600/);
    const second = m.registry.metrics();
    expect(await value(second, /payhook_messages_total\{direction="in",type="audio"\} (\d+)/)).toBe(6);
    expect(await value(second, /payhook_bytes_total\{direction="in",kind="audio"\} (\d+)/)).toBe(9600);
  });

  it('counts a type outside the protocol as other', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.traffic.count('in', 'x'.repeat(40), 10);
    const text = await m.registry.metrics();
    expect(text).toMatch(/payhook_messages_total\{direction="in",type="other"\} 1/);
    expect(text).not.toMatch(/xxxx/);
  });
});
