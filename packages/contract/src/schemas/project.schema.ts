import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const ProjectCreate = z
  .object({
    name: Name,
    description: z.string().max(1000).optional(),
  })
  .strict();
export type ProjectCreate = z.infer<typeof ProjectCreate>;

export const Project = z.object({
  name: Name,
  description: z.string(),
  createdAt: Timestamp,
  instanceCount: z.number().int(),
  volumeCount: z.number().int(),
});
export type Project = z.infer<typeof Project>;
