import type { z } from 'zod';
import { ConfigurationError, formatPath, type ValidationIssue } from '../errors.js';

/**
 * Adapters validate their options with their own zod schema through this, so
 * every misconfiguration reads the same: the adapter, the key, what to fix.
 * Values are never echoed (options hold secrets).
 */
export function parseAdapterOptions<S extends z.ZodType>(providerId: string, schema: S, options: unknown): z.output<S> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
    code: issue.code,
    message: safeMessage(issue),
  }));
  const first = issues[0]!;
  throw new ConfigurationError(
    `Invalid ${providerId} options: ${formatPath(first.path)} ${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
    issues,
  );
}

function safeMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected}`;
    case 'unrecognized_keys':
      return `has unknown keys: ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}
