import { ProviderError, RateLimitError, type KycLogger, type ProviderTextScrubber } from '@openkyc/core';
import { backoffDelay, DEFAULT_RETRY } from '@openkyc/core/http';
import type { MappedApplication } from './map-application.js';
import { mapPatchRefusal } from './map-patch-refusal.js';
import { PATCH_STYLE_PATCHABLE_STATUSES } from './map-patch-style-status.js';
import type { PatchStyleApi, PatchStyleCustomer } from './patch-style-api.js';

/** PATCH attempts in total. */
const MAX_ATTEMPTS = 3;
/** A `Retry-After` longer than this is handed to the caller as a `RateLimitError` instead of waited out. */
const MAX_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * `PATCH {kycData}` made safe to retry by looking before repeating.
 *
 * A PATCH that completes the data moves the customer to UNDER_REVIEW, after
 * which any PATCH is refused (`PATCH_NOT_ALLOWED`). So a blind retry after a
 * lost response (5xx, reset, timeout after the provider processed it) would
 * turn a success into an error. Instead, after such a failure the customer is
 * read: no longer patchable → the earlier attempt landed, its state is the
 * result; still patchable → nothing landed (or it landed as
 * NEEDS_ADDITIONAL_INFORMATION, where sending the same data again is harmless
 * under merge semantics) → PATCH again. A 429 is waited out (`Retry-After`).
 */
export async function sendKycData(
  api: PatchStyleApi,
  input: { readonly customerId: string; readonly mapped: MappedApplication },
  context: {
    readonly provider: string;
    readonly signal?: AbortSignal | undefined;
    readonly logger: KycLogger;
    /** Scrubs the application out of provider text. */
    readonly scrubber: ProviderTextScrubber;
  },
): Promise<PatchStyleCustomer> {
  const { customerId, mapped } = input;
  const { provider, signal, logger, scrubber } = context;
  for (let attempt = 1; ; attempt++) {
    let result: Awaited<ReturnType<PatchStyleApi['patchKycData']>>;
    try {
      result = await api.patchKycData(customerId, mapped.kycData, { signal, logger, scrubber });
    } catch (error) {
      const waitMs = retryDelay(error, attempt);
      if (waitMs === undefined) throw error;
      if (!RateLimitError.isInstance(error)) {
        // The provider may have processed it: look before repeating. If even the look-up fails,
        // the PATCH failure is what the caller needs to hear about.
        const current = await api.getCustomer(customerId, { signal, logger, scrubber }).catch(() => {
          signal?.throwIfAborted();
          throw error;
        });
        if (!isPatchable(current.status)) {
          logger.info({ provider, attempt, status: current.status }, 'kycData PATCH had landed before its response was lost');
          return current;
        }
      }
      logger.info({ provider, attempt, retryInMs: waitMs }, 'kycData PATCH failed; retrying');
      await sleep(waitMs, signal);
      continue;
    }

    if (result.ok) return result.customer;
    if (attempt > 1 && result.envelope.error === 'PATCH_NOT_ALLOWED') {
      // An earlier attempt of this very call may have landed after the look-up: the provider is reviewing it.
      const current = await api.getCustomer(customerId, { signal, logger, scrubber });
      if (!isPatchable(current.status)) return current;
    }
    throw mapPatchRefusal(result, { provider, customerId, origin: mapped.origin, scrubber });
  }
}

function isPatchable(status: string): boolean {
  return PATCH_STYLE_PATCHABLE_STATUSES.has(status.trim().toUpperCase());
}

/** How long to wait before the next attempt, or `undefined` to give up with this error. */
function retryDelay(error: unknown, attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined;
  if (!ProviderError.isInstance(error) || !error.isRetryable) return undefined;
  if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= MAX_RATE_LIMIT_WAIT_MS ? error.retryAfterMs : undefined;
  }
  return backoffDelay(attempt, DEFAULT_RETRY);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
