import { createAfterProcessingFaults } from '../shared/after-processing-faults.js';
import { createFaultInjector, type FaultSpec, type InjectedFault } from '../shared/fault-injection.js';
import { createHeaderMismatchLog, type HeaderMismatch } from '../shared/header-mismatches.js';
import {
  createRequestLog,
  type ContractViolation,
  type RecordedRequest,
  type RecordedRequestPredicate,
  type RequestLog,
} from '../shared/request-log.js';
import { createSimulatorClock, type SimulatorClock } from '../shared/simulator-clock.js';
import { startSimulatorServer } from '../shared/simulator-server.js';
import { clientsCommandAuthorization, TENANT_HEADER, type ClientsCommandCredentials } from './clients-command-auth.js';
import {
  assertCodeValues,
  DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES,
  DEFAULT_CLIENTS_COMMAND_REJECTION_REASONS,
  type ClientsCommandCodeValue,
} from './clients-command-code-values.js';
import type { ClientsCommandContext } from './clients-command-context.js';
import { createClientsCommandControls, type ClientsCommandBackOfficeOptions } from './clients-command-controls.js';
import { assertTimeZone, calendarDateIn, type ClientsCommandDate } from './clients-command-dates.js';
import {
  clientsCommandRateLimitFault,
  clientsCommandServerErrorFault,
  withFineractBody,
  type ClientsCommandFaultTarget,
} from './clients-command-faults.js';
import { createClientsCommandHandler } from './clients-command-router.js';
import { cloneClient, createClientsCommandState, type ClientsCommandClientRecord } from './clients-command-state.js';

/**
 * Starts a clients-command (Apache Fineract style) provider on 127.0.0.1 with
 * an ephemeral port, following `providers/clients-command.md`: Basic auth +
 * tenant header, Fineract error envelopes, `dd MMMM yyyy` dates in and
 * `[y, m, d]` out, clients, identifiers (per-instance type ids), multipart
 * documents, addresses, and the `verify` / `activate` / `undoRejection` /
 * `reject` / `close` commands — exactly the contract's routes: any other
 * request answers 404 and is recorded (`contractViolations()`). Call
 * `close()` when done.
 */
export async function createClientsCommandSimulator(options: ClientsCommandSimulatorOptions = {}): Promise<ClientsCommandSimulator> {
  const credentials: ClientsCommandCredentials = {
    username: options.username ?? 'mifos',
    password: options.password ?? 'password',
    tenantId: options.tenantId ?? 'default',
  };
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const identifierTypes = options.identifierTypes ?? DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES;
  if (identifierTypes.length === 0) throw new RangeError('identifierTypes: at least one identifier type is needed');
  assertCodeValues('identifierTypes', identifierTypes);

  const clock = options.clock ?? createSimulatorClock(options.now === undefined ? {} : { start: options.now });
  const requestLog = createRequestLog({ now: () => clock.now() });
  const faults = createFaultInjector();
  const afterFaults = createAfterProcessingFaults();
  const state = createClientsCommandState({
    identifierTypes,
    rejectionReasons: options.rejectionReasons ?? DEFAULT_CLIENTS_COMMAND_REJECTION_REASONS,
  });
  const context: ClientsCommandContext = { state, clock, today: () => calendarDateIn(clock.now(), timeZone) };
  const controls = createClientsCommandControls(context);
  const headerMismatches = createHeaderMismatchLog();
  const api = createClientsCommandHandler(context, credentials, headerMismatches);
  const server = await startSimulatorServer({
    name: 'api',
    handler: afterFaults.wrap(api.handler),
    requestLog,
    faults,
    contract: api.routes,
  });

  function close(): Promise<void>;
  function close(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  function close(clientId?: number, reasonName?: string, actionOptions?: ClientsCommandBackOfficeOptions): Promise<void> | ClientsCommandClientRecord {
    if (clientId !== undefined) return controls.close(clientId, reasonName, actionOptions);
    afterFaults.releaseDelays();
    return server.close();
  }

  return {
    url: server.url,
    baseUrl: server.url,
    port: server.port,
    credentials,
    authHeaders: () => ({
      authorization: clientsCommandAuthorization(credentials.username, credentials.password),
      [TENANT_HEADER]: credentials.tenantId,
    }),
    clock,
    requestLog,
    identifierTypes: state.identifierTypes.map((type) => ({ ...type })),
    rejectionReasons: () => state.rejectionReasons.values(),
    today: context.today,
    requests: () => requestLog.requests(),
    clearRequests: () => requestLog.clearRequests(),
    findRequest: (predicate) => requestLog.find(predicate),
    contractViolations: () => requestLog.violations(),
    headerMismatches: () => headerMismatches.mismatches(),
    injectFault: (spec) => faults.injectFault(withFineractBody(spec)),
    injectFaultAfterProcessing(spec) {
      if (spec.reset === true) throw new Error('injectFaultAfterProcessing: reset is not supported (the response is already decided); use a status or latencyMs');
      return afterFaults.injector.injectFault(withFineractBody(spec));
    },
    injectRateLimit: (faultOptions) => faults.injectFault(clientsCommandRateLimitFault(faultOptions)),
    injectServerError: (faultOptions) => faults.injectFault(clientsCommandServerErrorFault(faultOptions)),
    clearFaults() {
      faults.clearFaults();
      afterFaults.injector.clearFaults();
    },
    getClient(clientId) {
      const client = state.clients.get(clientId);
      return client && cloneClient(client);
    },
    findClientByExternalId(externalId) {
      const id = state.clientIdsByExternalId.get(externalId);
      const client = id === undefined ? undefined : state.clients.get(id);
      return client && cloneClient(client);
    },
    listClients: () => [...state.clients.values()].map(cloneClient),
    activate: controls.activate,
    reject: controls.reject,
    withdraw: controls.withdraw,
    closeClient: controls.close,
    removeIdentifier: controls.removeIdentifier,
    reset() {
      state.reset();
      requestLog.clearRequests();
      headerMismatches.clear();
      faults.clearFaults();
      afterFaults.injector.clearFaults();
    },
    close,
  };
}

/** Options of {@link createClientsCommandSimulator}. */
export interface ClientsCommandSimulatorOptions {
  /** Basic-auth user (default `mifos`, Fineract's demo user). */
  readonly username?: string;
  /** Basic-auth password (default `password`). */
  readonly password?: string;
  /** Expected `Fineract-Platform-TenantId` (default `default`; the conformance driver picks a random one). */
  readonly tenantId?: string;
  /**
   * Identifier document types of this installation. Default: the contract's six
   * names with ids 11–16 in shuffled order (never the contract's 1–6), so
   * adapters must look ids up by name.
   */
  readonly identifierTypes?: readonly ClientsCommandCodeValue[];
  /** Rejection reason code values (`rejectionReasonId` of `?command=reject`); defaults to ids 71–74. */
  readonly rejectionReasons?: readonly ClientsCommandCodeValue[];
  /** Share a clock with other simulators; otherwise one is created. */
  readonly clock?: SimulatorClock;
  /** Start time of the created clock (ignored with `clock`); defaults to the real time. */
  readonly now?: Date | number | string;
  /** Tenant time zone deciding "today" (submittedOnDate default, future-date checks). Default `UTC`. */
  readonly timeZone?: string;
}

/** A running clients-command (Fineract-style) simulator: the HTTP API plus back-office controls for tests. */
export interface ClientsCommandSimulator {
  /** `http://127.0.0.1:<port>`; API paths start with `/v1/…`. */
  readonly url: string;
  /** Same as `url` (reads naturally as the adapter's `baseUrl`). */
  readonly baseUrl: string;
  /** The ephemeral port. */
  readonly port: number;
  /** What every call must carry: spread into the adapter options. */
  readonly credentials: ClientsCommandCredentials;
  /** `{ authorization: 'Basic …', 'fineract-platform-tenantid': … }` for hand-made requests in tests. */
  authHeaders(): Record<string, string>;
  /** The simulator's clock: dates and timelines follow it. */
  readonly clock: SimulatorClock;
  /** Every request received. */
  readonly requestLog: RequestLog;
  /** This instance's identifier types, in template order. */
  readonly identifierTypes: readonly ClientsCommandCodeValue[];
  /** Current rejection reason table (grows when `reject` names a new reason). */
  rejectionReasons(): ClientsCommandCodeValue[];
  /** Today by the simulator clock in the tenant time zone, `[y, m, d]`. */
  today(): ClientsCommandDate;

  /** Every request received so far, oldest first (faulted ones included). */
  requests(): RecordedRequest[];
  /** Forgets the requests received so far. */
  clearRequests(): void;
  /** The first request matching `predicate`. */
  findRequest(predicate: RecordedRequestPredicate): RecordedRequest | undefined;
  /**
   * Requests the contract does not document (an unknown path, an undocumented
   * method or `?command=`, a back-office command), oldest first. A real
   * installation may answer them 404: an adapter must make none.
   */
  contractViolations(): ContractViolation[];
  /**
   * Requests refused over a header the contract requires: a missing or wrong
   * `Fineract-Platform-TenantId`, Basic credentials other than the configured
   * ones, a Content-Type other than the contract's (415). Oldest first.
   */
  headerMismatches(): HeaderMismatch[];
  /**
   * A fault applied BEFORE the request is handled (nothing changes): status,
   * latency, connection reset (`reset: true`); with `afterProcessing: true`
   * after it instead (the change took effect; the answer is replaced, or with
   * `reset` lost). `server` is `'api'`; `query` narrows to one `?command=`. A
   * status fault without `body` gets a Fineract envelope (429
   * `error.msg.too.many.requests`, 5xx `error.msg.platform.…`).
   */
  injectFault(spec: FaultSpec): InjectedFault;
  /**
   * A fault applied AFTER the request was handled: the change took effect, but
   * the caller sees this status (or waits `latencyMs` first — exceed the
   * adapter's timeout to model a lost response). `reset` is not supported.
   */
  injectFaultAfterProcessing(spec: FaultSpec): InjectedFault;
  /** 429 with `Retry-After` (default 1 s) on every path unless `path` / `method` narrow it; once unless `times`. */
  injectRateLimit(options?: ClientsCommandFaultTarget & { readonly retryAfterSeconds?: number }): InjectedFault;
  /** 5xx (default 500) on every path unless narrowed; once unless `times`. */
  injectServerError(options?: ClientsCommandFaultTarget & { readonly status?: number }): InjectedFault;
  /** Cancels both kinds of faults. */
  clearFaults(): void;

  /** Deep copy of the internal record (identifiers, documents with bytes, addresses, attestation), or undefined. */
  getClient(clientId: number): ClientsCommandClientRecord | undefined;
  /** The client with this `externalId`, if any. */
  findClientByExternalId(externalId: string): ClientsCommandClientRecord | undefined;
  /** Every client, in creation order. */
  listClients(): ClientsCommandClientRecord[];

  /**
   * Back office (or another system on the tenant): a verified Pending client → Active (300), by the
   * same rules as `?command=activate`. Throws `ClientsCommandControlError` otherwise.
   */
  activate(clientId: number, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  /** Back office: Pending → Rejected (700) with `rejectionReason {id, name}`. Throws `ClientsCommandControlError` otherwise. */
  reject(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  /** Back office: Pending → Withdrawn (800). (The contract has no HTTP command for it.) */
  withdraw(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  /** Back office: Active → Closed (600). Same as `close(clientId, …)`. */
  closeClient(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  /** Back office deletes an identifier (with its documents), e.g. after finding it invalid. */
  removeIdentifier(clientId: number, identifierId: number): void;
  /** Forgets all clients, recorded requests and header mismatches, cancels faults and restarts ids; configuration is kept. */
  reset(): void;

  /** With a client id: back office closes that Active client (600). */
  close(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  /** Without arguments: stops the server. */
  close(): Promise<void>;
}
