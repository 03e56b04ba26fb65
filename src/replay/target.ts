// Where live replays and load tests connect: the Audio Connector URL for a connector, and the
// loopback rule (a load generator must not be pointed at someone else's server by accident).
import { isIP } from 'node:net';

export type TargetResult = { ok: true; url: string; loopback: boolean } | { ok: false; reason: string };

/** ws(s):// or http(s):// base; a bare server URL gets /api/v1/audioconnector/<connector>. Pure. */
export function audioConnectorUrl(raw: string, connector: string): TargetResult {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, reason: `unsupported scheme ${url.protocol}` };
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/api/v1/audioconnector/${encodeURIComponent(connector)}`;
  return { ok: true, url: url.href, loopback: isLoopback(url.hostname) };
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}
