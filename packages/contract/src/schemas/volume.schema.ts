import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const VolumeCreate = z
  .object({ name: Name, sizeBytes: z.number().int().positive().optional().describe('Declared size, counted against the project quota') })
  .strict();

export const Volume = z.object({
  project: Name,
  name: Name,
  createdAt: Timestamp,
  sizeBytes: z.number().int().nullable(),
  usedBy: z.array(Name).describe('Instances whose components mount it'),
});
export type Volume = z.infer<typeof Volume>;
