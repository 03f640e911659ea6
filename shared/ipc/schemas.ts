/** Value schemas shared by several channels. */
import { z } from 'zod';

export const issueSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string(),
  path: z.string(),
  message: z.string(),
});

/**
 * A path typed or picked by the user. Only shape is checked here; the backend checks what is on disk (exists, kind,
 * no links) before using it, because the renderer is not trusted with the file system.
 */
export const userPathSchema = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'path is too long')
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte');

export const manifestTagSchema = z.object({
  name: z.string(),
  colour: z.string().optional(),
  local: z.boolean().optional(),
});

export const previewEventSchema = z.object({
  uuid: z.string(),
  info: z.string(),
  date: z.string(),
  timestamp: z.number(),
  orgName: z.string().optional(),
  analysis: z.number().optional(),
  threatLevelId: z.number().optional(),
  tags: z.array(manifestTagSchema),
  /** From the manifest where the producer wrote it, otherwise counted from the event file once read. */
  attributeCount: z.number().optional(),
});

export const sourceInfoSchema = z.object({
  path: z.string(),
  kind: z.enum(['folder', 'zip']),
  sizeBytes: z.number(),
  /** Folder inside a zip (or below the chosen folder) where manifest.json was found; '' for the root. */
  feedRoot: z.string(),
  hasHashesCsv: z.boolean(),
  eventFileCount: z.number(),
});

export const feedPreviewSchema = z.object({
  source: sourceInfoSchema,
  events: z.array(previewEventSchema),
  issues: z.array(issueSchema),
});
