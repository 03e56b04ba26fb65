// TLS policy for gateway URLs: https everywhere, plain http only to this machine (the sandbox
// gateway and tests). PCI DSS 4.2.1: PAN crosses no network unencrypted.
import { isLoopbackHost, isSecureOrLoopbackUrl } from '../../core/net.js';

export { isLoopbackHost };

/** True for https URLs, and for http URLs whose host is loopback. */
export function isSecureGatewayUrl(url: string): boolean {
  return isSecureOrLoopbackUrl(url, 'https:', 'http:');
}
