// Child process for the crash test: writes whole sessions to a SQLite store in a tight loop and
// prints `done <sessionId>` after each session's last write has resolved (committed). The test
// SIGKILLs it at a random moment, mostly in the middle of a transaction.
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const [path, prefix] = process.argv.slice(2);
if (!path || !prefix) {
  console.error('usage: crash-writer <db path> <session id prefix>');
  process.exit(2);
}

const store = await openSqliteStore({ path, instanceId: prefix });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const sessionId = `${prefix}-${i}`;
  await store.startSession({ sessionId, conversationId: `conv-${sessionId}`, organizationId: 'org', connectorId: 'crash', mode: 'automated' });
  await store.startSegment(sessionId, 'secure_capture');
  await store.recordAttempt(sessionId, 'cardNumber');
  await store.updateSession(sessionId, { brand: 'visa', last4: '1111' });
  await store.endSegment(sessionId, 'secure_capture');
  await store.recordCharge(sessionId, { attempt: 1, idempotencyKey: `key-${sessionId}` });
  await store.finishSession(sessionId, { result: 'approved', nextAction: 'continue', failureReason: '', transactionRef: `tx-${i}` });
  await store.appendAudit({ type: 'test.tick', actor: { type: 'component', id: prefix }, success: true });
  process.stdout.write(`done ${sessionId}\n`);
}
