import { z } from 'zod';
import { ImageRef } from './app.schema.js';
import { Timestamp } from './common.schema.js';

export const ImagePull = z.object({ ref: ImageRef }).strict();

export const ImageUse = z.object({ project: z.string(), instance: z.string(), app: z.string(), component: z.string() });
export type ImageUse = z.infer<typeof ImageUse>;

export const Image = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  sizeBytes: z.number(),
  createdAt: Timestamp,
  usedBy: z
    .array(ImageUse)
    .optional()
    .describe('In the image list: the instances the caller can see whose components run this image (pinned to its id, or naming one of its tags while not pinned yet)'),
});
export type Image = z.infer<typeof Image>;

/** An image id (sha256:…, or a prefix of its hex) or a reference: the characters either may have. */
export const ImageParams = z.object({
  id: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, { message: 'must be an image id (sha256:…) or a reference such as busybox:1' }),
});

/** One line of the NDJSON stream answered by pull and load. */
export const ImageProgress = z.object({
  status: z.string(),
  id: z.string().optional(),
  current: z.number().optional(),
  total: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  image: Image.optional().describe('On the last line of a successful pull or load'),
});
export type ImageProgress = z.infer<typeof ImageProgress>;
