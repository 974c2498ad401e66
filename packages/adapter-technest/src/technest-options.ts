import { parseAdapterOptions, lazySchema } from '@openkyc/core';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';

/**
 * The options `technest()` takes. Validated with `parseAdapterOptions`, so a
 * bad option fails at construction with a `ConfigurationError` that names the
 * key (`Invalid technest options: clientSecret must be string`) and never
 * echoes a value (these options hold secrets).
 */
export const technestOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /** The API host, e.g. `https://api.technest.example`. `/oauth/token` and `/v1/…` are appended. */
    baseUrl: z
      .string({ error: 'must be string' })
      .refine(isHttpUrl, { message: 'must be an absolute http(s) URL without a query string, e.g. https://api.technest.example' }),
    /** OAuth client credentials (scope `customer:write`). */
    clientId: z.string({ error: 'must be string' }).min(1, { message: 'must be a non-empty string' }),
    /** The OAuth client secret. */
    clientSecret: z.string({ error: 'must be string' }).min(1, { message: 'must be a non-empty string' }),
    /**
     * The webhook signing secret; a list during rotation (old and new: a delivery
     * signed with any of them passes).
     */
    webhookSecret: z.union(
      [
        z.string().min(1, { message: 'must be a non-empty string' }),
        z.array(z.string().min(1, { message: 'must be a non-empty string' })).min(1, { message: 'must list at least one secret' }),
      ],
      { error: 'must be a non-empty string or a non-empty list of strings' },
    ),
    /** An undici dispatcher (proxy, mTLS, tests). Used as is and never closed by the adapter. */
    dispatcher: z.custom<Dispatcher>(isDispatcher, { message: 'must be an undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent…)' }).optional(),
    /** Per request attempt, in ms (default 10 000). The whole call, retries included, gets at least 30 s or 3 × this. */
    timeoutMs: z
      .number({ error: 'must be number' })
      .int({ message: 'must be a whole number of milliseconds' })
      .positive({ message: 'must be a positive number of milliseconds' })
      .max(600_000, { message: 'must be at most 600000 (10 minutes)' })
      .optional(),
    /** How far a webhook's signed `t` may be from now, both ways (default 300, Technest's own limit). */
    webhookToleranceSeconds: z
      .number({ error: 'must be number' })
      .positive({ message: 'must be a positive number of seconds' })
      .max(86_400, { message: 'must be at most 86400 (one day)' })
      .optional(),
    /** The provider id used in `createKyc`, `handleWebhook` and events (default `'technest'`). */
    id: z
      .string({ error: 'must be string' })
      .regex(/^[a-z0-9][a-z0-9._-]*$/i, { message: 'must be a non-empty id of letters, digits, ".", "_" or "-"' })
      .optional(),
  }),
);

/** What `technest()` accepts. */
export type TechnestOptions = z.input<ReturnType<typeof technestOptionsSchema>>;

/** Options after validation, defaults applied. */
export interface ResolvedTechnestOptions {
  readonly id: string;
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecrets: readonly string[];
  readonly dispatcher: Dispatcher | undefined;
  readonly timeoutMs: number;
  /** For one logical HTTP call, retries and waits included. */
  readonly deadlineMs: number;
  readonly webhookToleranceSeconds: number;
}

export const DEFAULT_TECHNEST_ID = 'technest';
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Technest rejects a signed `t` more than 300 s away from now; so do we by default. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;
const MIN_DEADLINE_MS = 30_000;

export function resolveTechnestOptions(options: unknown): ResolvedTechnestOptions {
  const id = providerIdOf(options);
  const parsed = parseAdapterOptions(id, technestOptionsSchema(), options);
  const timeoutMs = parsed.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    id: parsed.id ?? DEFAULT_TECHNEST_ID,
    baseUrl: parsed.baseUrl,
    clientId: parsed.clientId,
    clientSecret: parsed.clientSecret,
    webhookSecrets: typeof parsed.webhookSecret === 'string' ? [parsed.webhookSecret] : [...parsed.webhookSecret],
    dispatcher: parsed.dispatcher,
    timeoutMs,
    deadlineMs: Math.max(MIN_DEADLINE_MS, 3 * timeoutMs),
    webhookToleranceSeconds: parsed.webhookToleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  };
}

/** The id to name in error messages, before the options are known to be valid. */
function providerIdOf(options: unknown): string {
  if (typeof options === 'object' && options !== null) {
    const id = (options as { id?: unknown }).id;
    if (typeof id === 'string' && /^[a-z0-9][a-z0-9._-]*$/i.test(id)) return id;
  }
  return DEFAULT_TECHNEST_ID;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function isDispatcher(value: unknown): value is Dispatcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { dispatch?: unknown }).dispatch === 'function' &&
    typeof (value as { request?: unknown }).request === 'function'
  );
}
