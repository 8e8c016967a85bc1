import { z } from 'zod';
import { Name, Timestamp } from './common.schema.js';

export const VolumeCreate = z
  .object({ name: Name, sizeBytes: z.number().int().positive().optional().describe('Declared size, counted against the project quota') })
  .strict();

export const Volume = z.object({
  project: Name,
  name: Name,
  createdAt: Timestamp,
  sizeBytes: z.number().int().nullable().describe('Declared size: reserved against the project quota, not a cap on disk (the local driver cannot enforce it)'),
  usedBytes: z.number().int().nullable().describe('Bytes on disk as the engine measured them (periodically; null until the volume is first mounted and measured)'),
  usedBy: z.array(Name).describe('Instances whose components mount it'),
});
export type Volume = z.infer<typeof Volume>;
