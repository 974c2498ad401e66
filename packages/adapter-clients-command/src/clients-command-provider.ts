import {
  InvalidStateError,
  KYC_PROVIDER_SPEC_VERSION,
  ProviderError,
  ValidationError,
  defaultProviderTextScrubber,
  providerTextScrubber,
  validateApplication,
  type Application,
  type KycProvider,
  type ProviderCallContext,
  type ProviderReport,
  type ProviderTextScrubber,
} from '@openkyc/core';
import {
  clientsCommandApi,
  clientsCommandHttp,
  type ClientsCommandApi,
  type ClientsCommandConnection,
  type CommandChanges,
  type FineractClient,
  type Result,
} from './clients-command-api.js';
import { clientsCommandCapabilities } from './clients-command-capabilities.js';
import { parseClientsCommandOptions, type ClientsCommandOptions } from './clients-command-options.js';
import { FINERACT_DATE_CONTEXT, fineractDateOf } from './fineract-dates.js';
import {
  fineractCodes,
  fineractProviderError,
  fineractValidationError,
  hasFineractCode,
  shownFineractCodes,
  type FineractFailure,
  type ParameterPath,
} from './fineract-errors.js';
import { identifierTypeCache, type IdentifierTypeIds } from './identifier-types.js';
import {
  addressFor,
  addressParameterPath,
  clientIsUpToDate,
  clientParameterPath,
  clientUpdateFor,
  createParameterPath,
  identifierParameterPath,
  identifierPlansFor,
  uploadParameterPath,
  validateApplicationForClientsCommand,
  type IdentifierPlan,
} from './map-application.js';
import { clientReport, rawClientStatus } from './map-client-status.js';
import { mapVerifyViolations, VERIFY_RULE_CODES } from './map-verify-violations.js';

/**
 * The clients-command adapter (an Apache Fineract style core banking API):
 * create a Pending client, add its details, identifiers and identity document
 * files, then `?command=verify` — synchronous: verified, or a 403 listing
 * every missing piece (→ `needs_info`). The PRIMARY address is added only when
 * verify names it missing (the contract has no address listing, and verify
 * changes nothing when it refuses), so a repeated submit never adds a second
 * one. `?command=activate` makes it usable; `?command=undoRejection` reopens
 * a rejected client for another attempt. No webhooks: back-office changes are
 * read with `fetch`. Only the contract's documented calls are made.
 *
 * ```ts
 * clientsCommand({ baseUrl, username, password, tenantId, verificationType: 'FULL' })
 * ```
 */
export function clientsCommand(options: ClientsCommandOptions): KycProvider {
  const config = parseClientsCommandOptions(options);
  const provider = config.id;
  // One HTTP client for the adapter's life: its Agent (and undici) is made on the first call.
  const connection: ClientsCommandConnection = {
    http: clientsCommandHttp({
      provider,
      baseUrl: config.baseUrl,
      username: config.username,
      password: config.password,
      tenantId: config.tenantId,
      dispatcher: config.dispatcher,
      timeoutMs: config.timeoutMs,
    }),
  };
  const identifierTypes = identifierTypeCache(provider);
  /** The API for one operation; `scrubber` knows what the operation sends, so no provider text carries it on. */
  const api = (context: ProviderCallContext, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): ClientsCommandApi =>
    clientsCommandApi(connection, { logger: context.logger, signal: context.signal, scrubber });
  const today = (context: ProviderCallContext): string => fineractDateOf(context.now(), config.timeZone);

  return {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id: provider,
    capabilities: clientsCommandCapabilities,

    validate: validateApplicationForClientsCommand,

    async createCustomer(input, context) {
      const scrubber = providerTextScrubber({ customer: input });
      const calls = api(context, scrubber);
      const result = await calls.createClient({
        officeId: config.officeId,
        legalFormId: config.legalFormId,
        firstname: input.firstName,
        lastname: input.lastName,
        externalId: input.providerReference,
        emailAddress: input.email,
        submittedOnDate: today(context),
        active: false,
        ...FINERACT_DATE_CONTEXT,
      });
      if (result.ok) {
        return {
          providerCustomerId: String(result.value.clientId),
          status: 'created',
          rawStatus: 'Pending',
          providerReference: input.providerReference,
        };
      }
      const { failure } = result;
      if (failure.status === 403 && hasFineractCode(failure.envelope, 'error.msg.client.duplicate.externalId')) {
        // An earlier try (or a retried request) created it: adopt that client.
        const existing = await calls.findClientByExternalId(input.providerReference);
        if (existing === undefined) {
          throw new ProviderError(
            `${provider} reports a client with this reference already exists but its search does not find it; try again shortly.`,
            { provider, status: 403, providerCode: 'error.msg.client.duplicate.externalId', retryable: true },
          );
        }
        context.logger.info({ provider, providerCustomerId: String(existing.id) }, 'clients-command: adopted the client an earlier attempt created');
        return { ...clientReport(provider, String(existing.id), existing, scrubber), providerReference: input.providerReference };
      }
      throw refusal(failure, createParameterPath, scrubber);
    },

    async submit(input, context) {
      // Called directly or through core, the application is checked before any request (identifier
      // formats, document numbers, capabilities, this provider's limits).
      const checked = validateApplication(input.application, clientsCommandCapabilities, {
        now: () => context.now(),
        customerType: input.type,
        providerValidate: validateApplicationForClientsCommand,
      });
      if (!checked.success) throw new ValidationError(checked.issues);
      const application = checked.application;
      const scrubber = providerTextScrubber({ application });
      const calls = api(context, scrubber);
      const clientId = input.providerCustomerId;
      const client = await calls.getClient(clientId);
      const current = clientReport(provider, clientId, client, scrubber);
      if (current.status !== 'created') {
        // Verified by an earlier try whose answer was lost, or changed in the back office.
        context.logger.info({ provider, providerCustomerId: clientId, rawStatus: current.rawStatus }, 'clients-command: client is past verification; nothing to submit');
        return current;
      }
      await sendDetails(calls, client, application, context, scrubber);
      await sendIdentifiers(calls, clientId, application, context, scrubber);
      return verifyWithPrimaryAddress(calls, client, clientId, application, context, scrubber);
    },

    async fetch(input, context) {
      return clientReport(provider, input.providerCustomerId, await api(context).getClient(input.providerCustomerId));
    },

    async activate(input, context) {
      const calls = api(context);
      const clientId = input.providerCustomerId;
      const result = await calls.command(clientId, 'activate', { activationDate: today(context), ...FINERACT_DATE_CONTEXT });
      if (result.ok) return { providerCustomerId: clientId, status: 'active', rawStatus: 'Active' };
      const { failure } = result;
      if (failure.status !== 403) throw refusal(failure, noApplicationPath);
      // Activated by an earlier try whose answer was lost? Read the client before refusing.
      const report = clientReport(provider, clientId, await calls.getClient(clientId));
      if (report.status === 'active') return report;
      const stateProblem = fineractCodes(failure.envelope).some((code) => /\.(not\.verified|invalid\.state)$/.test(code));
      if (!stateProblem) throw fineractProviderError(provider, failure);
      const shown = shownFineractCodes(failure.envelope);
      throw new InvalidStateError(
        'activate',
        report.status,
        `${provider} refused activation (${shown.length > 0 ? shown.join(', ') : 'a state rule'}): the client is ${report.status} there, not verified; call refresh() to sync, and submit again if it needs verifying.`,
        { cause: fineractProviderError(provider, failure) },
      );
    },

    async retry(input, context) {
      const calls = api(context);
      const clientId = input.providerCustomerId;
      const result = await calls.command(clientId, 'undoRejection', { reopenedDate: today(context), ...FINERACT_DATE_CONTEXT });
      if (result.ok) return { providerCustomerId: clientId, status: 'created', rawStatus: 'Pending' };
      const { failure } = result;
      if (failure.status !== 403) throw refusal(failure, noApplicationPath);
      // Reopened by an earlier try whose answer was lost? Then this is done.
      const report = clientReport(provider, clientId, await calls.getClient(clientId));
      if (report.status === 'created') return report;
      const stateProblem = fineractCodes(failure.envelope).some((code) => /\.invalid\.state$/.test(code));
      if (!stateProblem) throw fineractProviderError(provider, failure);
      throw new InvalidStateError(
        'retry',
        report.status,
        `${provider} can only reopen a Rejected client; the client is ${report.status} there. Call refresh() to sync.`,
        { cause: fineractProviderError(provider, failure) },
      );
    },

    async close() {
      // Closes the adapter's own Agent, never an injected dispatcher.
      await connection.http.close();
    },
  };

  // --- submit steps ----------------------------------------------------------

  /** Names, contact details, date of birth and the contact attestation; skipped when the client already holds them. */
  async function sendDetails(
    calls: ClientsCommandApi,
    client: FineractClient,
    application: Application,
    context: ProviderCallContext,
    scrubber: ProviderTextScrubber,
  ): Promise<void> {
    if (clientIsUpToDate(client, application)) {
      context.logger.debug({ provider, providerCustomerId: String(client.id) }, 'clients-command: client details unchanged');
      return;
    }
    const result = await calls.updateClient(String(client.id), clientUpdateFor(application));
    if (!result.ok) throw refusal(result.failure, clientParameterPath, scrubber);
  }

  /** One identifier per type (an existing one of the type counts as done), then the files of each. */
  async function sendIdentifiers(
    calls: ClientsCommandApi,
    clientId: string,
    application: Application,
    context: ProviderCallContext,
    scrubber: ProviderTextScrubber,
  ): Promise<void> {
    const plans = identifierPlansFor(application);
    if (plans.length === 0) return;
    const types = await identifierTypes(() => calls.identifierTemplate(clientId));
    let existing = await calls.listIdentifiers(clientId);
    for (const plan of plans) {
      const typeId = types.idOf(plan.typeName);
      let identifierId = existing.find((identifier) => identifier.documentType?.id === typeId)?.id;
      if (identifierId === undefined) {
        const result = await calls.createIdentifier(clientId, { documentTypeId: typeId, documentKey: plan.documentKey, status: 'Active', description: null });
        if (result.ok) {
          identifierId = result.value.resourceId;
        } else if (result.failure.status === 403 && hasFineractCode(result.failure.envelope, 'error.msg.clientIdentifier.type.duplicate')) {
          // Already there (an earlier try, or a concurrent one): find it.
          existing = await calls.listIdentifiers(clientId);
          identifierId = findIdentifierId(existing, typeId, types, plan);
        } else {
          throw refusal(result.failure, identifierParameterPath(plan), scrubber);
        }
      } else {
        context.logger.debug({ provider, providerCustomerId: clientId, type: plan.typeName }, 'clients-command: identifier already present');
      }
      await sendFiles(calls, clientId, identifierId, plan, scrubber);
    }
  }

  function findIdentifierId(
    identifiers: readonly { id: number; documentType?: { id?: number | null | undefined } | null | undefined }[],
    typeId: number,
    types: IdentifierTypeIds,
    plan: IdentifierPlan,
  ): number {
    const found = identifiers.find((identifier) => identifier.documentType?.id === typeId);
    if (found !== undefined) return found.id;
    throw new ProviderError(
      `${provider} refused a ${types.nameOf(typeId) ?? plan.typeName} identifier as a duplicate but does not list one; try again shortly.`,
      { provider, status: 403, providerCode: 'error.msg.clientIdentifier.type.duplicate', retryable: true },
    );
  }

  /**
   * Uploads the identifier's files. The contract has no document listing, so
   * what an earlier try or an earlier submission uploaded cannot be seen: the
   * files are sent again (each carries its content digest in `description`).
   * Duplicates are harmless to verify; a missing file is not.
   */
  async function sendFiles(
    calls: ClientsCommandApi,
    clientId: string,
    identifierId: number,
    plan: IdentifierPlan,
    scrubber: ProviderTextScrubber,
  ): Promise<void> {
    for (const upload of plan.uploads) {
      const result = await calls.uploadIdentifierDocument(clientId, identifierId, [
        { name: 'name', value: upload.name },
        { name: 'description', value: upload.description },
        { name: 'file', content: upload.file.content, contentType: upload.file.contentType, filename: upload.file.filename },
      ]);
      if (!result.ok) throw refusal(result.failure, uploadParameterPath(upload), scrubber);
    }
  }

  /**
   * Verifies; when verify names the PRIMARY address missing, adds it and
   * verifies again. Verify lists every violated rule and changes nothing when
   * it refuses, so it is the contract's way to learn whether the client has an
   * active PRIMARY address: a repeated or re-submitted submit never adds a
   * second one (the contract has no address listing or update; an address an
   * earlier try added stays as it is).
   */
  async function verifyWithPrimaryAddress(
    calls: ClientsCommandApi,
    client: FineractClient,
    clientId: string,
    application: Application,
    context: ProviderCallContext,
    scrubber: ProviderTextScrubber,
  ): Promise<ProviderReport> {
    const first = await requestVerify(calls, clientId);
    if (first.ok || !namesPrimaryAddressMissing(first.failure)) return verifyReport(calls, client, clientId, first, scrubber);
    context.logger.debug({ provider, providerCustomerId: clientId }, 'clients-command: verify names the primary address missing; adding it');
    const created = await calls.createAddress(clientId, addressFor(application));
    if (!created.ok) throw refusal(created.failure, addressParameterPath, scrubber);
    return verifyReport(calls, client, clientId, await requestVerify(calls, clientId), scrubber);
  }

  function requestVerify(calls: ClientsCommandApi, clientId: string): Promise<Result<CommandChanges>> {
    return calls.command(clientId, 'verify', { kycVerificationType: config.verificationType });
  }

  /** Verify's answer as a report: verified, needs_info (one requirement per rule), or the client as it is. */
  async function verifyReport(
    calls: ClientsCommandApi,
    client: FineractClient,
    clientId: string,
    result: Result<CommandChanges>,
    scrubber: ProviderTextScrubber,
  ): Promise<ProviderReport> {
    if (result.ok) {
      const level = result.value.kycVerificationType;
      return {
        providerCustomerId: clientId,
        status: 'verified',
        rawStatus: `${rawClientStatus(client)}/Verified`,
        verificationLevel: typeof level === 'string' && level !== '' ? level : config.verificationType,
      };
    }
    const { failure } = result;
    if (failure.status !== 403) throw refusal(failure, noApplicationPath, scrubber);
    const outcome = mapVerifyViolations(failure.envelope, scrubber);
    switch (outcome.kind) {
      case 'needs_info':
        return { providerCustomerId: clientId, status: 'needs_info', rawStatus: rawClientStatus(client), requirements: outcome.requirements };
      case 'invalid_state': {
        // Not a Pending, unverified client (any more): report what it is.
        const report = clientReport(provider, clientId, await calls.getClient(clientId), scrubber);
        if (report.status !== 'created') return report;
        throw new ProviderError(`${provider} refused verify as being in the wrong state, yet reports the client Pending and unverified; try again.`, {
          provider,
          status: 403,
          providerCode: 'error.msg.client.verify.invalid.state',
          retryable: true,
        });
      }
      case 'other':
        throw fineractProviderError(provider, failure, scrubber);
    }
  }

  /** A 400 becomes a ValidationError where it concerns the caller's input; anything else a ProviderError. */
  function refusal(failure: FineractFailure, pathOf: ParameterPath, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): Error {
    return failure.status === 400 ? fineractValidationError(provider, failure, pathOf, scrubber) : fineractProviderError(provider, failure, scrubber);
  }
}

const noApplicationPath: ParameterPath = () => undefined;

/** A verify refusal that names the PRIMARY address missing on a client verify accepts (Pending, not yet verified). */
function namesPrimaryAddressMissing(failure: FineractFailure): boolean {
  return (
    failure.status === 403 &&
    hasFineractCode(failure.envelope, VERIFY_RULE_CODES.primaryAddress) &&
    !hasFineractCode(failure.envelope, VERIFY_RULE_CODES.invalidState)
  );
}

