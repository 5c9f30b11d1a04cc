import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { NodeError, type HttpClient, type HttpResponse } from '@baton/nodes';

export interface SafeHttpOptions {
  /** Allow every private, loopback and link-local address (a closed network you trust). */
  allowPrivateNetworks?: boolean;
  /** Host names or IP addresses allowed even when private, e.g. an internal order API. */
  allowedHosts?: readonly string[];
  maxTimeoutMs?: number;
  maxResponseBytes?: number;
}

/** Addresses nodes may not reach unless allowed: loopback, private, link-local, and other special ranges. */
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped and NAT64 addresses reach IPv4 hosts: judge the IPv4 address inside.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1] ?? nat64InHex(lower);
  if (embedded) return privateRanges.check(embedded, 'ipv4');
  return privateRanges.check(lower, 'ipv6');
}

/** URLs and DNS give NAT64 addresses in hex (`64:ff9b::7f00:1`); the IPv4 address is the last 32 bits. */
function nat64InHex(address: string): string | undefined {
  const match = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!match) return undefined;
  const high = parseInt(match[1]!, 16);
  const low = parseInt(match[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * Outbound HTTP for node activities. The address check runs on the address actually connected
 * to (inside DNS lookup), so a name that resolves to a private address is refused too.
 */
export function createSafeHttpClient(options: SafeHttpOptions = {}): HttpClient {
  const maxTimeoutMs = options.maxTimeoutMs ?? 30_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const allowed = (host: string, address: string): boolean =>
    options.allowPrivateNetworks === true || allowedHosts.has(host) || allowedHosts.has(address) || !isPrivateAddress(address);

  const refuse = (host: string): NodeError =>
    new NodeError('address_not_allowed', `${host} is a private or local address; allow it in the deployment settings to call it`, {
      retryable: false,
    });

  return {
    request(request) {
      return new Promise<HttpResponse>((resolve, reject) => {
        let url: URL;
        try {
          url = new URL(request.url);
        } catch {
          return reject(new NodeError('invalid_url', `"${request.url}" is not a URL`, { retryable: false }));
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          return reject(new NodeError('invalid_url', `only http and https are allowed, not ${url.protocol}`, { retryable: false }));
        }
        const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
        if (isIP(host) && !allowed(host, host)) return reject(refuse(host));

        const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
          dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
            if (error) return callback(error, '', 0);
            const refused = addresses.find((a) => !allowed(host, a.address));
            if (refused || addresses.length === 0) return callback(refuse(host), '', 0);
            if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
            callback(null, addresses[0]!.address, addresses[0]!.family);
          });
        };

        const timeoutMs = Math.min(request.timeoutMs ?? maxTimeoutMs, maxTimeoutMs);
        const limit = Math.min(request.maxResponseBytes ?? maxResponseBytes, maxResponseBytes);
        const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
        const transport = url.protocol === 'https:' ? https : http;
        const outgoing = transport.request(
          url,
          { method: request.method, headers: request.headers ?? {}, lookup, signal: AbortSignal.any(signals) },
          (incoming) => {
            const chunks: Buffer[] = [];
            let size = 0;
            incoming.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > limit) {
                incoming.destroy();
                reject(new NodeError('response_too_large', `the response is larger than ${limit} bytes`, { retryable: false }));
                return;
              }
              chunks.push(chunk);
            });
            incoming.on('error', (error) => reject(transient(error, host)));
            incoming.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(incoming.headers)) {
                if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
              }
              resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
            });
          },
        );
        outgoing.on('error', (error) => reject(error instanceof NodeError ? error : transient(error, host)));
        if (request.body !== undefined) outgoing.write(request.body);
        outgoing.end();
      });
    },
  };
}

function transient(error: Error, host: string): NodeError {
  const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
  return new NodeError(timedOut ? 'timeout' : 'network_error', `${host}: ${timedOut ? 'no answer in time' : error.message}`, {
    retryable: true,
    cause: error,
  });
}
