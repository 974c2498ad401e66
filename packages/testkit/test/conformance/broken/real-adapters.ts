/**
 * The three real adapters pointed at their conformance simulators, as the
 * adapters' own conformance tests build them. Each broken variant wraps one of
 * these and changes one thing; `options` (the suite's, plus a variant's own
 * dispatcher) come last.
 */
import { clientsCommand } from '@openkyc/adapter-clients-command';
import { patchStyle } from '@openkyc/adapter-patch-style';
import { technest } from '@openkyc/adapter-technest';
import type { KycProvider } from '@openkyc/core';
import type { ClientsCommandSimulator, ConformanceProviderOptions, PatchStyleConformanceSimulator, TechnestSimulator } from '@openkyc/testkit';

export function realTechnest(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  return technest({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookSecret: [...sim.webhookSecrets],
    ...options,
  });
}

export function realPatchStyle({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  return patchStyle({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    webhookSecret: sim.webhookSecrets(),
    hostDocument: documentHost.hostDocument,
    ...options,
  });
}

export function realClientsCommand(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  return clientsCommand({
    baseUrl: sim.url,
    username: sim.credentials.username,
    password: sim.credentials.password,
    tenantId: sim.credentials.tenantId,
    ...options,
  });
}
