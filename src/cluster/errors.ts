// Typed error codes of multi-process serving (one worker process per core behind one port).
import { defineErrors } from '../core/errors.js';

export const CLUSTER_ERRORS = defineErrors({
  ERR_CLUSTER_PRIMARY_UNREACHABLE: {
    message: 'the primary process did not answer a worker in time; the request failed closed',
    hint: 'The primary is overloaded or gone. Upgrades are refused (the replay cache lives in the primary) until it answers; check its log and CPU.',
  },
  ERR_CLUSTER_WORKER_EXITED: {
    message: 'a worker process exited unexpectedly and is being replaced',
    hint: 'Calls on that worker were cut; their records are reconciled when the replacement starts. Look for the cause just before in the log.',
  },
  ERR_CLUSTER_WORKER_START: {
    message: 'a worker process failed to start; the server is stopping',
    hint: 'The worker printed why just before (a busy port, a bad TLS file, an unreadable store). Fix that and start again.',
  },
  ERR_CLUSTER_MESSAGE: {
    message: 'a malformed message between cluster processes was ignored',
    hint: 'A bug, or a different PayHook version in the primary and a worker; restart the whole server.',
  },
});
