import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const VolumeCreate = z.object({ name: Name }).strict();

export const Volume = z.object({
  project: Name,
  name: Name,
  createdAt: Timestamp,
  usedBy: z.array(Name).describe('Instances whose components mount it'),
});
export type Volume = z.infer<typeof Volume>;
