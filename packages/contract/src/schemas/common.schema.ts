import { z } from 'zod';

/** Names of projects, apps, instances, volumes and components: DNS labels. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const Name = z
  .string()
  .regex(DNS_LABEL, {
    message:
      'must be a DNS label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
  })
  .describe('A DNS label');

export const Timestamp = z.string().describe('ISO 8601 time');

/** Where a page of a log (events, audit) starts or ends: an entry id, or an ISO time (Date.parse alone would take "foo 1"). */
export const LogCursor = z.string().refine((s) => /^\d+$/.test(s) || (/^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s))), 'must be an entry id or an ISO time');

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. PROJECT_NOT_FOUND'),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const NameParams = {
  project: z.object({ project: Name }),
  app: z.object({ app: Name }),
  instance: z.object({ project: Name, instance: Name }),
  volume: z.object({ project: Name, volume: Name }),
};

export const Empty = z.object({}).strict();

export const Deleted = z.object({ deleted: z.literal(true) });

/** Query booleans arrive as strings. */
export const QueryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
