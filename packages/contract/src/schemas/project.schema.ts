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
  deleting: z.boolean().describe('Deletion was asked and is not finished yet'),
  deletionProblem: z.string().nullable().describe('Why the last attempt to finish the deletion failed (it is retried); null when none failed'),
});
export type Project = z.infer<typeof Project>;
