import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { parseCidr } from '@gureum/contract';

/** Where webhooks may go: an address in an `allow` range may, else one in a `deny` range may not. */
export interface WebhookRangeLists {
  allow: string[];
  deny: string[];
}

/** How a body reaches its URL: an HTTP POST; answers the status or throws on a transport error. */
export type WebhookPost = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<number>;

function rangeList(cidrs: string[]): { cidr: string; list: BlockList }[] {
  return cidrs.flatMap((cidr) => {
    const parsed = parseCidr(cidr);
    if (!parsed) return [];
    const list = new BlockList();
    list.addSubnet(parsed[0], parsed[1], parsed[2]);
    return [{ cidr, list }];
  });
}

/** An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

type Compiled = { allow: ReturnType<typeof rangeList>; deny: ReturnType<typeof rangeList> };

/** Why an address may not be sent to (the deny range holding it), or undefined when it may. */
function refusal(ranges: Compiled, raw: string): string | undefined {
  const address = plain(raw);
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (ranges.allow.some((r) => r.list.check(address, family))) return undefined;
  const denied = ranges.deny.find((r) => r.list.check(address, family));
  if (!denied) return undefined;
  return `refused to send to ${address}: it is in the denied range ${denied.cidr} (an administrator can allow it in the settings, webhooks.allow)`;
}

export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

/**
 * POSTs with the address ranges checked against what the host name resolves to at send time,
 * and the connection made to exactly the address checked (no second lookup a DNS answer could
 * change in between). Redirects are not followed: one is an answer like any other non-2xx.
 */
export function checkedPost(ranges: () => Promise<WebhookRangeLists>): WebhookPost {
  return async (url, body, headers, timeoutMs) => {
    // Parsed once per send, however many addresses the host resolves to.
    const given = await ranges();
    const lists: Compiled = { allow: rangeList(given.allow), deny: rangeList(given.deny) };
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const why = refusal(lists, host);
      if (why) throw new WebhookRefused(why);
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const why = addresses.map((a) => refusal(lists, a.address)).find((w) => w !== undefined);
        if (why) return callback(new WebhookRefused(why), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      const req = client.request(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false, signal: AbortSignal.timeout(timeoutMs) },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  };
}
