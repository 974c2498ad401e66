import type { ClientsCommandContext } from './clients-command-context.js';
import type { ClientsCommandDate } from './clients-command-dates.js';
import type { ClientsCommandViolation } from './clients-command-errors.js';
import {
  activateViolations,
  applyActivate,
  applyClose,
  applyReject,
  applyWithdraw,
  closeViolations,
  rejectViolations,
  withdrawViolations,
} from './clients-command-lifecycle.js';
import { cloneClient, type ClientsCommandClientRecord } from './clients-command-state.js';

/**
 * Back-office actions a test performs directly on the simulator (there are no
 * webhooks: the adapter only sees their effect by reading the client). They
 * run the same rules as the HTTP commands and throw
 * `ClientsCommandControlError` instead of answering 403.
 */

export interface ClientsCommandBackOfficeOptions {
  /** Effective date; defaults to today by the simulator clock. */
  readonly date?: ClientsCommandDate;
}

export class ClientsCommandControlError extends Error {
  override readonly name = 'ClientsCommandControlError';
  constructor(
    message: string,
    /** The domain rules that failed (empty for an unknown client / identifier). */
    readonly violations: readonly ClientsCommandViolation[] = [],
  ) {
    super(message);
  }
}

export const DEFAULT_REJECTION_REASON_NAME = 'Identity could not be verified';
export const DEFAULT_CLOSURE_REASON_NAME = 'Customer request';
export const DEFAULT_WITHDRAWAL_REASON_NAME = 'Applicant withdrew';

export interface ClientsCommandControls {
  activate(clientId: number, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  reject(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  close(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  withdraw(clientId: number, reasonName?: string, options?: ClientsCommandBackOfficeOptions): ClientsCommandClientRecord;
  removeIdentifier(clientId: number, identifierId: number): void;
}

export function createClientsCommandControls(context: ClientsCommandContext): ClientsCommandControls {
  function clientOrThrow(clientId: number): ClientsCommandClientRecord {
    const client = context.state.clients.get(clientId);
    if (!client) throw new ClientsCommandControlError(`no client with id ${clientId}`);
    return client;
  }

  function run(
    action: string,
    clientId: number,
    violations: (client: ClientsCommandClientRecord) => ClientsCommandViolation[],
    apply: (client: ClientsCommandClientRecord) => void,
  ): ClientsCommandClientRecord {
    const client = clientOrThrow(clientId);
    const failed = violations(client);
    if (failed.length > 0) {
      throw new ClientsCommandControlError(`cannot ${action} client ${clientId}: ${failed.map((violation) => violation.code).join(', ')}`, failed);
    }
    apply(client);
    return cloneClient(client);
  }

  return {
    activate(clientId, options = {}) {
      const date = options.date ?? context.today();
      return run('activate', clientId, (client) => activateViolations(client, date), (client) => {
        applyActivate(client, date);
      });
    },
    reject(clientId, reasonName = DEFAULT_REJECTION_REASON_NAME, options = {}) {
      const date = options.date ?? context.today();
      return run('reject', clientId, (client) => rejectViolations(client, date), (client) => {
        applyReject(client, context.state.rejectionReasons.byNameOrAdd(reasonName), date);
      });
    },
    close(clientId, reasonName = DEFAULT_CLOSURE_REASON_NAME, options = {}) {
      const date = options.date ?? context.today();
      return run('close', clientId, (client) => closeViolations(client, date), (client) => {
        applyClose(client, context.state.closureReasons.byNameOrAdd(reasonName), date);
      });
    },
    withdraw(clientId, reasonName = DEFAULT_WITHDRAWAL_REASON_NAME, options = {}) {
      const date = options.date ?? context.today();
      return run('withdraw', clientId, (client) => withdrawViolations(client, date), (client) => {
        applyWithdraw(client, context.state.withdrawalReasons.byNameOrAdd(reasonName), date);
      });
    },
    removeIdentifier(clientId, identifierId) {
      const client = clientOrThrow(clientId);
      const index = client.identifiers.findIndex((identifier) => identifier.id === identifierId);
      if (index < 0) throw new ClientsCommandControlError(`client ${clientId} has no identifier ${identifierId}`);
      client.identifiers.splice(index, 1);
    },
  };
}
