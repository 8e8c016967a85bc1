import { z } from 'zod';

export const Node = z.object({
  name: z.string(),
  cpus: z.number(),
  memoryBytes: z.number(),
  engine: z.string(),
  engineVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  status: z.enum(['ready', 'unreachable']),
  labels: z.record(z.string(), z.string()),
});
export type Node = z.infer<typeof Node>;

export const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()) });
