import { ConfigurationError } from '@openkyc/core';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name, or `ConfigurationError` before anything connects. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigurationError(
      `The store's schema must be lowercase letters, digits and '_' (at most 63, not starting with a digit); got ${JSON.stringify(schema.slice(0, 80))}.`,
      [{ path: ['schema'], code: 'invalid_schema_name', message: 'not a plain Postgres identifier' }],
    );
  }
  return schema;
}

/** `"name"`, for a schema name already checked by `assertSchemaName`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
