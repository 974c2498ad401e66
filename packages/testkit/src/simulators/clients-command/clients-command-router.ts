import { createRouter, route, type SimulatorHandler } from '../shared/simulator-server.js';
import { createAddress, listAddresses } from './clients-command-addresses-api.js';
import { checkAuthentication, type ClientsCommandCredentials } from './clients-command-auth.js';
import { createClient, getClient, listClients, updateClient } from './clients-command-clients-api.js';
import { runClientCommand } from './clients-command-commands-api.js';
import type { ClientsCommandContext } from './clients-command-context.js';
import { routeNotFound } from './clients-command-errors.js';
import { createIdentifier, getIdentifier, identifierTemplate, listDocuments, listIdentifiers, uploadDocument } from './clients-command-identifiers-api.js';

/**
 * The API server's handler: authentication first (every path, known or not),
 * then the route table. `…/identifiers/template` precedes
 * `…/identifiers/:identifierId` because the first matching route wins.
 */
export function createClientsCommandHandler(context: ClientsCommandContext, credentials: ClientsCommandCredentials): SimulatorHandler {
  const router = createRouter(
    [
      route('GET', '/v1/clients', (request) => listClients(context, request)),
      route('POST', '/v1/clients', (request) => createClient(context, request)),
      route('GET', '/v1/clients/:clientId', (request) => getClient(context, request)),
      route('PUT', '/v1/clients/:clientId', (request) => updateClient(context, request)),
      route('POST', '/v1/clients/:clientId', (request) => runClientCommand(context, request)),
      route('GET', '/v1/clients/:clientId/identifiers/template', (request) => identifierTemplate(context, request)),
      route('GET', '/v1/clients/:clientId/identifiers', (request) => listIdentifiers(context, request)),
      route('POST', '/v1/clients/:clientId/identifiers', (request) => createIdentifier(context, request)),
      route('GET', '/v1/clients/:clientId/identifiers/:identifierId', (request) => getIdentifier(context, request)),
      route('GET', '/v1/clients/:clientId/identifiers/:identifierId/documents', (request) => listDocuments(context, request)),
      route('POST', '/v1/clients/:clientId/identifiers/:identifierId/documents', (request) => uploadDocument(context, request)),
      route('GET', '/v1/clients/:clientId/addresses', (request) => listAddresses(context, request)),
      route('POST', '/v1/clients/:clientId/addresses', (request) => createAddress(context, request)),
    ],
    (request) => routeNotFound(request.method, request.path),
  );
  return (request) => checkAuthentication(request, credentials) ?? router(request);
}
