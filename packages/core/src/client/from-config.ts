import type { z } from 'zod';
import { lazySchema } from '../values/lazy-schema.js';
import { ConfigurationError, formatPath, type ValidationIssue } from '../errors.js';
import type { KycProvider } from '../provider/kyc-provider.js';
import type { KycOptions } from './kyc.js';

/**
 * Adapter factories by provider id, e.g. `{ technest, 'patch-style': (o) => patchStyle({ ...o, hostDocument }) }`.
 * Options arrive as parsed JSON and each factory validates them with its own
 * schema, so the parameter is deliberately untyped here: that is what lets
 * both `technest` itself and an inline wrapper like the one above fit.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; the factory's own zod schema is the type check.
export type ProviderFactories = Readonly<Record<string, (options: any) => KycProvider>>;

/**
 * The JSON a deployment configures openkyc with:
 * `{ "defaultProvider": "technest", "providers": { "technest": { …adapter options… } } }`.
 * Options that cannot live in JSON (functions such as `hostDocument`, a custom
 * `dispatcher`) are bound in the factory map instead.
 */
export const kycConfigSchema = lazySchema((z) =>
  z.object({
    /** The provider new customers go to; defaults to the first one listed. */
    defaultProvider: z.string().min(1).optional(),
    /** Adapter options by provider id; each is validated by that adapter's own schema. */
    providers: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
);
/** The configuration `fromConfig` reads (its zod schema: `kycConfigSchema` from `@openkyc/core/schemas`). */
export type KycConfig = z.infer<ReturnType<typeof kycConfigSchema>>;

/**
 * Turns configuration into `createKyc` options: picks adapters by id, validates
 * each adapter's options with its own schema, and names the bad key on error
 * (`providers.technest.clientSecret: must be string`). Swapping providers is a
 * configuration change, not a code change.
 */
export function fromConfig(
  config: unknown,
  factories: ProviderFactories,
  extra: Omit<KycOptions, 'providers' | 'defaultProvider'> = {},
): KycOptions {
  const raw = typeof config === 'string' ? parseJson(config) : config;
  const parsed = kycConfigSchema().safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
      code: issue.code,
      message: issue.message,
    }));
    throw configError(issues);
  }
  const { providers: providerOptions, defaultProvider } = parsed.data;
  const ids = Object.keys(providerOptions);
  if (ids.length === 0) {
    throw configError([{ path: ['providers'], code: 'required', message: 'configure at least one provider' }]);
  }

  const providers: KycProvider[] = [];
  for (const id of ids) {
    const factory = factories[id];
    if (factory === undefined) {
      throw configError([
        {
          path: ['providers', id],
          code: 'unknown_provider',
          message: `no adapter is registered for '${id}' (known: ${Object.keys(factories).join(', ')})`,
        },
      ]);
    }
    try {
      providers.push(factory(providerOptions[id]));
    } catch (error) {
      if (ConfigurationError.isInstance(error)) {
        throw configError(error.issues.map((issue) => ({ ...issue, path: ['providers', id, ...issue.path] })), error);
      }
      throw error;
    }
  }

  if (defaultProvider !== undefined && !ids.includes(defaultProvider)) {
    throw configError([
      { path: ['defaultProvider'], code: 'unknown_provider', message: `must be one of the configured providers (${ids.join(', ')})` },
    ]);
  }
  return { ...extra, providers, ...(defaultProvider === undefined ? {} : { defaultProvider }) };
}

function configError(issues: readonly ValidationIssue[], cause?: unknown): ConfigurationError {
  const first = issues[0];
  const where = first === undefined ? '' : `${formatPath(first.path)}: ${first.message}`;
  return new ConfigurationError(`Invalid openkyc configuration: ${where}`, issues, cause === undefined ? {} : { cause });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigurationError('Invalid openkyc configuration: not valid JSON.');
  }
}
