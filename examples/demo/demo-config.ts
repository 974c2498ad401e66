import { clientsCommand } from '@openkyc/adapter-clients-command';
import { patchStyle, type PatchStyleHostDocument, type PatchStyleOptions } from '@openkyc/adapter-patch-style';
import { technest } from '@openkyc/adapter-technest';
import type { KycConfig, ProviderFactories } from '@openkyc/core';
import type { DemoSimulators } from './demo-simulators.js';

export const PROVIDER_IDS = ['technest', 'patch-style', 'clients-command'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * The configuration a deployment would keep in a file or a secret store:
 * plain JSON, filled here from the running simulators' URLs and credentials.
 * Only the selected providers get a key; the first one is the default, so
 * `--provider patch-style` swaps the provider without touching any code.
 */
export function buildDemoConfig(sims: DemoSimulators, selected: readonly ProviderId[]): KycConfig {
  const providers: Record<string, Record<string, unknown>> = {};
  for (const id of selected) providers[id] = providerConfig(sims, id);
  const [defaultProvider] = selected;
  return { ...(defaultProvider === undefined ? {} : { defaultProvider }), providers };
}

function providerConfig(sims: DemoSimulators, id: ProviderId): Record<string, unknown> {
  switch (id) {
    case 'technest': {
      const sim = required(sims.technest, id);
      return { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: sim.webhookSecret };
    }
    case 'patch-style': {
      const { sim } = required(sims.patchStyle, id);
      return { baseUrl: sim.apiBaseUrl, apiKey: sim.apiKey, webhookSecret: sim.webhookSecret };
    }
    case 'clients-command': {
      const sim = required(sims.clientsCommand, id);
      return { baseUrl: sim.baseUrl, ...sim.credentials, verificationType: 'FULL' };
    }
  }
}

/**
 * What cannot live in JSON is bound here: patch-style fetches documents by
 * URL, so its factory adds `hostDocument` (the platform's document storage;
 * in the demo, the testkit's document host).
 */
export function demoFactories(hostDocument: PatchStyleHostDocument | undefined): ProviderFactories {
  return {
    technest,
    // The parameter needs its type spelled out: ProviderFactories types it `never`.
    'patch-style': (options: Omit<PatchStyleOptions, 'hostDocument'>) => {
      if (hostDocument === undefined) throw new Error('patch-style needs a document host');
      return patchStyle({ ...options, hostDocument });
    },
    'clients-command': clientsCommand,
  };
}

function required<T>(value: T | undefined, id: ProviderId): T {
  if (value === undefined) throw new Error(`the ${id} simulator is not running`);
  return value;
}
