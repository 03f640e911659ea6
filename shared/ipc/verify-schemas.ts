/** What checking a feed's checksums and signatures finds (feeds.verify, and the import report). */
import { z } from 'zod';
import { issueSchema } from './schemas';

export const verifyFileProblemSchema = z.object({
  name: z.string(),
  problem: z.enum(['differs', 'missing', 'added', 'integrity-differs', 'unlisted']),
  message: z.string(),
});

export const verifyReportSchema = z.object({
  source: z.string(),
  kind: z.enum(['folder', 'zip']),
  /** verified: every file matches SHA256SUMS; altered: some file differs, is missing or was added; unchecked: no SHA256SUMS. */
  status: z.enum(['verified', 'altered', 'unchecked']),
  /** Files whose checksum was compared. */
  checked: z.number().int().nonnegative(),
  files: z.array(verifyFileProblemSchema),
  /**
   * unsigned: no SHA256SUMS.asc; good: made by a known key over these SHA256SUMS (and manifest.json.asc, when
   * present, over this manifest); bad: it does not match (the feed was altered after signing); unknown-key: made by
   * a key that is not among the library's keys, so whose it is cannot be told.
   */
  signature: z.object({
    status: z.enum(['unsigned', 'good', 'bad', 'unknown-key']),
    message: z.string(),
    signer: z.object({ fingerprint: z.string(), userIds: z.array(z.string()) }).nullable(),
  }),
  issues: z.array(issueSchema),
});
