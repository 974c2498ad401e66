/**
 * `@openkyc/console`: an operator console for openkyc, served by one Web `Request → Response` handler
 * (`createConsole({ kyc, authorize, basePath }).fetch`) that mounts under any path in node:http, Express,
 * Fastify, Hono or Next.js. Server-rendered, no script, strict CSP, personal data masked by default.
 *
 * @packageDocumentation
 */

export { createConsole } from './create-console.js';
export type {
  ApplyParkedAuditEntry,
  AuditEntryBase,
  ConsoleAuditEntry,
  ConsoleKyc,
  ConsoleOptions,
  OpsConsole,
  RefreshAuditEntry,
  ReplayParkedAuditEntry,
  RetryDeadLetterAuditEntry,
} from './console-options.js';
