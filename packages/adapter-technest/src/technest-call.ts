import type { KycLogger, ProviderTextScrubber } from '@openkyc/core';

/** What every adapter call carries down to the HTTP layer (a subset of core's ProviderCallContext). */
export interface TechnestCall {
  readonly signal?: AbortSignal | undefined;
  readonly logger: KycLogger;
  /** Scrubs what this operation sends out of provider text (default: heuristics only). */
  readonly scrubber?: ProviderTextScrubber | undefined;
  now(): Date;
}
