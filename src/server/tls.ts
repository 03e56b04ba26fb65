// In-process TLS: loads the certificate and key files, and swaps them into the running server
// when they change (certbot renewals, cert-manager secret updates) without dropping a call.
import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../core/log.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TlsPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export type TlsLoadResult =
  | { readonly ok: true; readonly pair: TlsPair }
  | { readonly ok: false; readonly code: 'ERR_CONFIG_TLS_FILES'; readonly reason: string };

/** Reads both files and checks they form a usable context (PEM, key matching the certificate). */
export function loadTlsFiles(files: TlsFiles): TlsLoadResult {
  let pair: TlsPair;
  try {
    pair = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  } catch (e) {
    return { ok: false, code: 'ERR_CONFIG_TLS_FILES', reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  try {
    createSecureContext(pair);
  } catch (e) {
    // OpenSSL's reason (e.g. "key values mismatch") names no secret material.
    return { ok: false, code: 'ERR_CONFIG_TLS_FILES', reason: e instanceof Error ? e.message : 'invalid' };
  }
  return { ok: true, pair };
}

/** What the watcher needs of the server: node's https.Server satisfies it. */
export interface SecureContextTarget {
  setSecureContext(options: { cert: Buffer; key: Buffer }): void;
}

export interface TlsWatchOptions {
  readonly logger?: Logger;
  /** Writers replace the two files one after the other; wait for both. Default 500 ms. */
  readonly debounceMs?: number;
  /** Called after each successful swap (tests wait on it). */
  readonly onReload?: () => void;
}

export interface TlsWatcher {
  /** Loads the files now; true when the new pair is in use. */
  reload(): boolean;
  close(): void;
}

/**
 * Watches the files' directories rather than the files: an atomic rename or a Kubernetes secret
 * update (a symlink swap of `..data`) replaces the inode, which a watch on the file would miss.
 * An invalid new pair is logged and ignored; the server keeps serving with the old one.
 */
export function watchTlsFiles(files: TlsFiles, target: SecureContextTarget, options: TlsWatchOptions = {}): TlsWatcher {
  const debounceMs = options.debounceMs ?? 500;
  const log = options.logger;
  let current = loadTlsFiles(files);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = (): boolean => {
    const next = loadTlsFiles(files);
    if (!next.ok) {
      log?.error({ code: 'ERR_CONFIG_TLS_RELOAD', reason: next.reason, certFile: files.certFile }, 'TLS files changed but are invalid; keeping the previous certificate');
      return false;
    }
    if (current.ok && current.pair.cert.equals(next.pair.cert) && current.pair.key.equals(next.pair.key)) return false;
    target.setSecureContext({ cert: next.pair.cert, key: next.pair.key });
    current = next;
    log?.info({ certFile: files.certFile }, 'TLS certificate reloaded');
    options.onReload?.();
    return true;
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) reload();
    }, debounceMs);
    timer.unref();
  };

  const dirs = new Set([dirname(resolve(files.certFile)), dirname(resolve(files.keyFile))]);
  const watchers: FSWatcher[] = [];
  for (const dir of dirs) {
    const w = watch(dir, { persistent: false }, schedule);
    w.on('error', (e) => log?.warn({ code: 'ERR_CONFIG_TLS_RELOAD', reason: e.message, dir }, 'TLS directory watch failed; certificate changes need a restart'));
    watchers.push(w);
  }

  return {
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
