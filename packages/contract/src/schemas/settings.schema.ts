import { z } from 'zod';
import { QuotaPatch } from './governance.schema.js';

/** An IPv4 or IPv6 address range in CIDR notation: 10.0.0.0/8, 127.0.0.1/32, fd00::/8. */
export const Cidr = z
  .string()
  .max(64)
  .refine((text) => parseCidr(text) !== undefined, { message: 'must be an address range such as 10.0.0.0/8, 127.0.0.1/32 or fd00::/8' })
  .describe('An address range in CIDR notation');

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/** `[address, prefix, family]` of a CIDR range, or undefined when the text is not one. */
export function parseCidr(text: string): [string, number, 'ipv4' | 'ipv6'] | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const [, address, bits] = m as unknown as [string, string, string];
  const prefix = Number(bits);
  if (IPV4.test(address)) return prefix <= 32 ? [address, prefix, 'ipv4'] : undefined;
  if (IPV6.test(address) && address.includes(':') && (address.match(/::/g) ?? []).length <= 1) return prefix <= 128 ? [address, prefix, 'ipv6'] : undefined;
  return undefined;
}

/** Refused for webhooks unless allowed: loopback, "this host", and link-local (cloud metadata services live there). */
export const DEFAULT_WEBHOOK_DENY = ['127.0.0.0/8', '0.0.0.0/8', '169.254.0.0/16', '::1/128', '::/128', 'fe80::/10'];

export const WebhookRanges = z
  .object({
    allow: z.array(Cidr).max(100).default([]).describe('Ranges a webhook may reach even when a deny range holds them too'),
    deny: z.array(Cidr).max(100).default(DEFAULT_WEBHOOK_DENY).describe('Ranges no webhook may reach: every address the target resolves to is checked at send time'),
  })
  .strict();

export const DefaultResources = z
  .object({
    cpus: z.number().positive().max(1024).nullable().default(null).describe('CPU cores of a component that sets no resources.cpus; null: unlimited'),
    memoryBytes: z.number().int().min(6 * 1024 * 1024).nullable().default(null).describe('Memory limit of a component that sets no resources.memoryBytes; null: unlimited'),
  })
  .strict();

/** What the admin decides for the whole installation. */
export const Settings = z
  .object({
    projectCreation: z.enum(['everyone', 'admins']).default('everyone').describe('Who may create projects'),
    defaultQuota: QuotaPatch.default({}).describe('The quota every new project starts with (an admin can change it per project)'),
    defaultResources: DefaultResources.default({ cpus: null, memoryBytes: null }).describe('Limits given, when an instance is launched or changed, to components that set none'),
    webhooks: WebhookRanges.default({ allow: [], deny: DEFAULT_WEBHOOK_DENY }).describe('Where alert webhooks may be sent'),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** Each key given replaces that setting whole; keys left out stay as they are. */
export const SettingsPatch = z
  .object({
    projectCreation: Settings.shape.projectCreation.removeDefault().optional(),
    defaultQuota: QuotaPatch.optional(),
    defaultResources: DefaultResources.partial().strict().optional(),
    webhooks: WebhookRanges.partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
