/**
 * Broken adapters for the "contract headers" group: each is one of our real
 * adapters with one realistic header bug. `teeth.test.ts` runs the
 * conformance suite against each and asserts that it fails, naming the header.
 */
import { clientsCommand } from '@openkyc/adapter-clients-command';
import { technest } from '@openkyc/adapter-technest';
import type { KycProvider } from '@openkyc/core';
import type { ClientsCommandSimulator, ConformanceProviderOptions, TechnestSimulator } from '@openkyc/testkit';
import { Agent, type Dispatcher } from 'undici';

/**
 * Clients-command that sends a constant `Fineract-Platform-TenantId` (Fineract's
 * demo tenant `default`) instead of the configured one: it works against a
 * demo installation and nowhere else.
 */
export function constantTenantClientsCommand(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  return clientsCommand({
    baseUrl: sim.baseUrl,
    username: sim.credentials.username,
    password: sim.credentials.password,
    ...options,
    tenantId: 'default',
  });
}

/**
 * Technest that uploads every file as `application/octet-stream` instead of
 * the Content-Type the upload intent signed (`required_headers`): the storage
 * host refuses the signature.
 */
export function octetStreamUploadTechnest(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  return technest({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookSecret: [...sim.webhookSecrets],
    ...options,
    dispatcher: contentTypeOn(new URL(sim.storageUrl).host, 'application/octet-stream'),
  });
}

/** A dispatcher that replaces the Content-Type of every request to `host`. */
function contentTypeOn(host: string, contentType: string): Dispatcher {
  return new Agent().compose((dispatch) => (options, handler) => {
    if (new URL(String(options.origin)).host !== host) return dispatch(options, handler);
    const headers = Object.fromEntries(
      Object.entries((options.headers ?? {}) as Record<string, string>).filter(([name]) => name.toLowerCase() !== 'content-type'),
    );
    return dispatch({ ...options, headers: { ...headers, 'content-type': contentType } }, handler);
  });
}
