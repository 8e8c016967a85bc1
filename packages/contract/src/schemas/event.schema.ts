import { z } from 'zod';
import { LogCursor, Timestamp } from './common.schema.js';

export const EventType = z.enum([
  'project.created',
  'project.deleted',
  'project.deletion_failed',
  'app.created',
  'app.updated',
  'app.deleted',
  'instance.created',
  'instance.updated',
  'instance.scaled',
  'instance.started',
  'instance.stopped',
  'instance.restarted',
  'instance.deleted',
  'instance.failed',
  'instance.phase_changed',
  'replica.started',
  'replica.died',
  'replica.restarted',
  'replica.oom_killed',
  'replica.replaced',
  'replica.removed',
  'replica.health_changed',
  'volume.created',
  'volume.deleted',
  'volume.over_size',
  'image.pulled',
  'image.loaded',
  'image.deleted',
  'engine.unreachable',
  'engine.reachable',
  'policy.updated',
  'secret.updated',
  'secret.deleted',
  'alert.pending',
  'alert.firing',
  'alert.resolved',
  'alert.delivery_failed',
  'instance.autoscaled',
  /** The admin changed the installation's settings (data: changed, the keys). */
  'settings.updated',
  /** A user joined a project (data: user, role). */
  'member.added',
  /** A member's role changed (data: user, role, previousRole). */
  'member.updated',
  /** A user left a project, or was deleted (data: user, role it had). */
  'member.removed',
  /** An API token was made (data: id, name, user; never the token). Seen by its user and admins only. */
  'token.created',
  /** An API token was revoked (data: id, name, user). Seen by its user and admins only. */
  'token.revoked',
]);
export type EventType = z.infer<typeof EventType>;

export const Event = z.object({
  id: z.number().int(),
  time: Timestamp,
  type: EventType,
  project: z.string().nullable(),
  instance: z.string().nullable(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type Event = z.infer<typeof Event>;

export const EventsQuery = z.object({
  project: z.string().optional(),
  instance: z.string().optional(),
  since: LogCursor.optional().describe('An event id (events after it) or an ISO time'),
  type: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
