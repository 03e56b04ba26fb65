import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { audiohookErrors } from '../errors.js';
import { MESSAGE_DISPOSITION, SIGNAL_ERRORS_IN, type Phase } from './state.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

function protocolTable(): { phases: Phase[]; rows: Map<string, string[]> } {
  const block = doc.split('<!-- protocol-table:start -->')[1]!.split('<!-- protocol-table:end -->')[0]!;
  const lines = block.trim().split('\n').map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const [header, , ...body] = lines;
  return { phases: header!.slice(1) as Phase[], rows: new Map(body.map((cells) => [cells[0]!, cells.slice(1)])) };
}

describe('docs/protocol.md', () => {
  it('states, for every message and phase, what the disposition table does', () => {
    const { phases, rows } = protocolTable();
    const documented = Object.keys(MESSAGE_DISPOSITION).filter((p) => p !== 'ended');
    expect(phases).toEqual(documented);
    const messageTypes = Object.keys(MESSAGE_DISPOSITION.active);
    expect([...rows.keys()].sort()).toEqual([...messageTypes].sort());
    for (const [type, cells] of rows) {
      phases.forEach((phase, i) => {
        const disposition = MESSAGE_DISPOSITION[phase][type as keyof (typeof MESSAGE_DISPOSITION)['active']];
        const expected =
          disposition === 'violation' ? (SIGNAL_ERRORS_IN[phase] ? 'error' : 'counted') : disposition === 'ignore' ? 'ignored' : null;
        const cell = cells[i]!;
        if (expected) expect(cell, `${type} in ${phase}`).toBe(expected);
        else expect(['error', 'counted', 'ignored'], `${type} in ${phase}`).not.toContain(cell);
      });
    }
  });

  it('lists every error code of the registry', () => {
    for (const code of Object.keys(audiohookErrors)) expect(doc, code).toContain(`\`${code}\``);
  });

  it('quotes each signalled info text exactly as the registry has it', () => {
    for (const [code, spec] of Object.entries(audiohookErrors)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
      if (row) expect(row, code).toContain(spec.message);
    }
  });
});
