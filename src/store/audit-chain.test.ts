import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, ChainVerifier, GENESIS_HASH, linkEvent, type AuditBody } from './audit-chain.js';
import type { AuditEvent } from './types.js';

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const body: AuditBody = {
      seq: i, at: 1_700_000_000_000 + i, type: 'test.event', actor: { type: 'operator', id: `op-${i % 3}` },
      success: i % 2 === 0, origin: { instanceId: 'a' }, resource: { type: 'session', id: `s-${i}` },
    };
    const e = linkEvent(prev, body);
    events.push(e);
    prev = e.hash;
  }
  return events;
}

function verify(events: AuditEvent[], head = { lastSeq: events.at(-1)?.seq ?? 0, lastHash: events.at(-1)?.hash ?? GENESIS_HASH }) {
  const v = new ChainVerifier();
  // Pages of 3, as the stores feed pages.
  for (let i = 0; i < events.length; i += 3) if (!v.push(events.slice(i, i + 3))) break;
  return v.finish(head);
}

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: undefined, b: true } })).toBe('{"a":{"b":true,"d":[1,"x",null]},"b":1}');
  });

  it('is the same for objects built in any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(obj);
      }),
    );
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and reports its length and head hash', () => {
    const events = chain(10);
    expect(verify(events)).toEqual({ ok: true, count: 10, headHash: events[9]!.hash });
    expect(verify([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it('finds any single edit, deletion, swap or insertion, at the first affected event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.constantFrom('edit', 'delete', 'swap', 'insert'), (n, pick, kind) => {
        const events = chain(n);
        const head = { lastSeq: n, lastHash: events[n - 1]!.hash };
        const i = pick % (n - 1); // an index with a successor
        const tampered = events.map((e) => ({ ...e }));
        if (kind === 'edit') tampered[i] = { ...tampered[i]!, success: !tampered[i]!.success };
        if (kind === 'delete') tampered.splice(i, 1);
        if (kind === 'swap') [tampered[i], tampered[i + 1]] = [tampered[i + 1]!, tampered[i]!];
        if (kind === 'insert') tampered.splice(i + 1, 0, linkEvent(tampered[i]!.hash, { ...tampered[i]!, seq: i + 2 }));
        const verdict = verify(tampered, head);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) {
          expect(verdict.seq).toBe(kind === 'insert' ? i + 3 : i + 1);
          expect(verdict.count).toBe(verdict.seq - 1);
        }
      }),
    );
  });

  it('finds a truncated tail through the head row, and a forged tail past it', () => {
    const events = chain(5);
    const head = { lastSeq: 5, lastHash: events[4]!.hash };
    expect(verify(events.slice(0, 3), head)).toEqual({ ok: false, count: 3, seq: 4, reason: 'sequence_gap' });
    const extra = linkEvent(events[4]!.hash, { ...events[4]!, seq: 6 });
    expect(verify([...events, extra], head)).toEqual({ ok: false, count: 6, seq: 5, reason: 'head_mismatch' });
  });

  it('names the kind of break', () => {
    const events = chain(4);
    const edited = events.map((e, i) => (i === 1 ? { ...e, type: 'test.other' } : e));
    expect(verify(edited)).toEqual({ ok: false, count: 1, seq: 2, reason: 'hash_mismatch' });
    const relinked = events.map((e, i) => (i === 1 ? linkEvent(e.prevHash, { ...e, type: 'test.other' }) : e));
    expect(verify(relinked)).toEqual({ ok: false, count: 2, seq: 3, reason: 'prev_hash_mismatch' });
    expect(verify([events[0]!, events[2]!, events[3]!])).toEqual({ ok: false, count: 1, seq: 2, reason: 'sequence_gap' });
  });

  it('hashes the body canonically: the hash of a known event is stable', () => {
    // Pinned so a change to canonicalization (which would orphan every stored chain) fails here.
    const e = linkEvent(GENESIS_HASH, { seq: 1, at: 0, type: 'x', actor: { type: 'component', id: 'c' }, success: true, origin: { instanceId: 'i' } });
    expect(e.hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + '{"actor":{"id":"c","type":"component"},"at":0,"origin":{"instanceId":"i"},"seq":1,"success":true,"type":"x"}')
        .digest('hex'),
    );
  });
});
