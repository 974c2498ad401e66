import type { HeaderMismatchLog } from '../shared/header-mismatches.js';
import { createRouter, route, type Route, type SimulatorHandler } from '../shared/simulator-server.js';
import { createAddress } from './clients-command-addresses-api.js';
import { checkAuthentication, type ClientsCommandCredentials } from './clients-command-auth.js';
import { createClient, getClient, listClients, updateClient } from './clients-command-clients-api.js';
import { CLIENTS_BACK_OFFICE_COMMANDS, CLIENTS_PLATFORM_COMMANDS, runClientCommand } from './clients-command-commands-api.js';
import type { ClientsCommandContext } from './clients-command-context.js';
import { routeNotFound } from './clients-command-errors.js';
import { createIdentifier, identifierTemplate, listIdentifiers, uploadDocument } from './clients-command-identifiers-api.js';

/** The API server's handler and the route table it serves, which is the contract's (see `clients-command.md`). */
export interface ClientsCommandApiHandler {
  /** Authentication first (every path, known or not), then the routes. */
  readonly handler: SimulatorHandler;
  /** Exactly the contract's routes: anything else answers 404 and is recorded as a contract violation. */
  readonly routes: readonly Route[];
}

/**
 * The API server: exactly the routes `clients-command.md` documents, nothing
 * Fineract has beyond them (no address listing, no identifier or document
 * reads). `…/identifiers/template` precedes `…/identifiers/:identifierId`
 * because the first matching route wins.
 */
export function createClientsCommandHandler(
  context: ClientsCommandContext,
  credentials: ClientsCommandCredentials,
  mismatches?: HeaderMismatchLog,
): ClientsCommandApiHandler {
  const routes = [
    route('GET', '/v1/clients', (request) => listClients(context, request)),
    route('POST', '/v1/clients', (request) => createClient(context, request)),
    route('GET', '/v1/clients/:clientId', (request) => getClient(context, request)),
    route('PUT', '/v1/clients/:clientId', (request) => updateClient(context, request)),
    route('POST', '/v1/clients/:clientId', (request) => runClientCommand(context, request), {
      operation: { parameter: 'command', values: CLIENTS_PLATFORM_COMMANDS, backOfficeValues: CLIENTS_BACK_OFFICE_COMMANDS },
    }),
    route('GET', '/v1/clients/:clientId/identifiers/template', (request) => identifierTemplate(context, request)),
    route('GET', '/v1/clients/:clientId/identifiers', (request) => listIdentifiers(context, request)),
    route('POST', '/v1/clients/:clientId/identifiers', (request) => createIdentifier(context, request)),
    route('POST', '/v1/clients/:clientId/identifiers/:identifierId/documents', (request) => uploadDocument(context, request)),
    route('POST', '/v1/clients/:clientId/addresses', (request) => createAddress(context, request)),
  ];
  const router = createRouter(routes, (request) => routeNotFound(request.method, request.path));
  return {
    async handler(request) {
      const refused = checkAuthentication(request, credentials, mismatches);
      if (refused !== undefined) return refused;
      const response = await router(request);
      // JSON bodies need application/json, document uploads multipart/form-data (415 otherwise).
      if (response.status === 415) mismatches?.record(request, 'content-type', 'is not the media type the contract requires here');
      return response;
    },
    routes,
  };
}
