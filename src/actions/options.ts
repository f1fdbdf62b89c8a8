// The options of a resumed run come from its journal: they are checked against the action's schema
// (each action's options.ts) rather than trusted, so a damaged or foreign journal stops the resume
// with a message instead of running with options that are not what they claim to be.
import type { z } from 'zod/v4';
import { UsageError } from '../errors.js';

export function restoreWith<Schema extends z.ZodType>(schema: Schema, recorded: unknown): z.output<Schema> {
  const parsed = schema.safeParse(recorded);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new UsageError(
    `The run's recorded options cannot be resumed (${where}${issue.message}).`,
    'The journal was changed by something else, or written by another version of bulkfill.',
  );
}
