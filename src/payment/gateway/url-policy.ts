// TLS policy for gateway URLs: https everywhere, plain http only to this machine (the sandbox
// gateway and tests). PCI DSS 4.2.1: PAN crosses no network unencrypted.
import { isIP } from 'node:net';

/** Whether a host name is loopback: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** True for https URLs, and for http URLs whose host is loopback. */
export function isSecureGatewayUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && isLoopbackHost(u.hostname);
}
