import { parseAdapterOptions, lazySchema } from '@openkyc/core';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { isTimeZone } from './fineract-dates.js';

/** The default provider id of `clientsCommand()` instances. */
export const CLIENTS_COMMAND_PROVIDER_ID = 'clients-command';

/** The `kycVerificationType`s verify can ask for. */
export const CLIENTS_COMMAND_VERIFICATION_TYPES = ['FULL', 'PARTIAL'] as const;
/** `FULL` or `PARTIAL`. */
export type ClientsCommandVerificationType = (typeof CLIENTS_COMMAND_VERIFICATION_TYPES)[number];

const dispatcherSchema = lazySchema((z) =>
  z.custom<Dispatcher>(
    (value) => typeof value === 'object' && value !== null && typeof (value as { dispatch?: unknown }).dispatch === 'function',
    { message: 'must be an undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent…)' },
  ),
);

const baseUrlSchema = lazySchema((z) =>
  z
    .string()
    .min(1)
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
        } catch {
          return false;
        }
      },
      { message: 'must be an absolute http(s) URL without query string, e.g. https://bank.example.com/fineract-provider/api' },
    ),
);

/**
 * Options of `clientsCommand(…)`. Unknown keys are refused (a typo must not
 * silently fall back to a default). Error messages name the key, never the
 * value: `password` is a secret.
 */
export const clientsCommandOptionsSchema = lazySchema((z) =>
  z
    .object({
      /** The API root the contract's `/v1/…` paths are appended to (Fineract: `https://host/fineract-provider/api`). */
      baseUrl: baseUrlSchema(),
      /** HTTP Basic user. */
      username: z.string().min(1, { message: 'must not be empty' }),
      /** HTTP Basic password. */
      password: z.string().min(1, { message: 'must not be empty' }),
      /** Sent as `Fineract-Platform-TenantId` on every call. */
      tenantId: z.string().min(1, { message: 'must not be empty' }),
      /** The `kycVerificationType` verify asks for (per product); FULL by default. */
      verificationType: z.enum(CLIENTS_COMMAND_VERIFICATION_TYPES, { message: 'must be FULL or PARTIAL' }).default('FULL'),
      /** Office new clients are opened in. */
      officeId: z.number().int().positive().default(1),
      /** Fineract legal form of new clients: 1 = person. */
      legalFormId: z.number().int().positive().default(1),
      /**
       * The tenant's time zone (IANA). Dates the adapter fills in (submitted,
       * activation, reopened) are "today" there: Fineract refuses future dates.
       */
      timeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or America/New_York' }).default('UTC'),
      /** undici dispatcher (proxy, mTLS, tests); never closed by the adapter. */
      dispatcher: dispatcherSchema().optional(),
      /** Per attempt; default 10 s. */
      timeoutMs: z.number().int().positive().optional(),
      /** The provider id (default `'clients-command'`); change it to run two tenants side by side. */
      id: z.string().min(1, { message: 'must not be empty' }).default(CLIENTS_COMMAND_PROVIDER_ID),
    })
    .strict(),
);

/** What `clientsCommand()` takes (validated with `clientsCommandOptionsSchema`, exported from `./schemas`). */
export type ClientsCommandOptions = z.input<ReturnType<typeof clientsCommandOptionsSchema>>;
/** The options after validation, defaults applied. */
export type ResolvedClientsCommandOptions = z.output<ReturnType<typeof clientsCommandOptionsSchema>>;

/** Validates options; throws `ConfigurationError` naming the bad key (values are never echoed). */
export function parseClientsCommandOptions(options: unknown): ResolvedClientsCommandOptions {
  const id =
    typeof options === 'object' && options !== null && typeof (options as { id?: unknown }).id === 'string' && (options as { id: string }).id !== ''
      ? (options as { id: string }).id
      : CLIENTS_COMMAND_PROVIDER_ID;
  return parseAdapterOptions(id, clientsCommandOptionsSchema(), options);
}
