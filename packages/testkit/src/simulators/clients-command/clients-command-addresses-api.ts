import { jsonResponse, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import { lookupClient, type ClientsCommandContext } from './clients-command-context.js';
import { validationFailed } from './clients-command-errors.js';
import { CLIENTS_COMMAND_ADDRESS_TYPES, type ClientsCommandAddressRecord } from './clients-command-state.js';
import { ParameterValidator, readJsonObject } from './clients-command-validation.js';

/**
 * `POST /v1/clients/{id}/addresses` (the contract has no address listing or
 * update). Only an address with `addressType: "PRIMARY"` and `isActive: true`
 * satisfies the verify rule; `isActive` defaults to false when omitted, as in
 * Fineract. A second PRIMARY address is stored like any other (the contract
 * does not refuse it): tests read `getClient(id).addresses` to catch one.
 */

const ADDRESS_PARAMETERS = ['addressType', 'addressLine1', 'addressLine2', 'addressLine3', 'city', 'stateProvince', 'postalCode', 'countryCode', 'isActive'];

/** `POST /v1/clients/{id}/addresses` → `{resourceId}` */
export function createAddress(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  const read = readJsonObject(request);
  if (!read.ok) return read.response;

  const v = new ParameterValidator(read.body);
  v.rejectUnsupported(ADDRESS_PARAMETERS);
  const addressType = v.oneOf('addressType', CLIENTS_COMMAND_ADDRESS_TYPES, { required: true, ignoreCase: true });
  const addressLine1 = v.string('addressLine1', { required: true, maxLength: 100 });
  const addressLine2 = v.string('addressLine2', { maxLength: 100 });
  const addressLine3 = v.string('addressLine3', { maxLength: 100 });
  const city = v.string('city', { required: true, maxLength: 100 });
  const stateProvince = v.string('stateProvince', { maxLength: 100 });
  const postalCode = v.string('postalCode', { maxLength: 20 });
  const countryCode = v.string('countryCode', {
    required: true,
    pattern: /^[A-Z]{2}$/,
    patternMessage: 'The parameter `countryCode` must be an ISO 3166-1 alpha-2 code such as US.',
  });
  const isActive = v.boolean('isActive');
  if (
    !v.ok ||
    !addressType ||
    !addressLine1 ||
    !city ||
    !countryCode ||
    addressLine2 === undefined ||
    addressLine3 === undefined ||
    stateProvince === undefined ||
    postalCode === undefined ||
    isActive === undefined
  ) {
    return validationFailed(v.violations);
  }

  const address: ClientsCommandAddressRecord = {
    id: context.state.nextId('address'),
    clientId: found.client.id,
    addressType,
    addressLine1,
    addressLine2,
    addressLine3,
    city,
    stateProvince,
    postalCode,
    countryCode,
    isActive: isActive ?? false,
    createdAt: context.clock.now(),
  };
  found.client.addresses.push(address);
  return jsonResponse(200, { resourceId: address.id });
}
