import type { SimulatorClock } from '../shared/simulator-clock.js';
import type { SimulatorResponse } from '../shared/simulator-server.js';
import type { ClientsCommandDate } from './clients-command-dates.js';
import { clientNotFound } from './clients-command-errors.js';
import type { ClientsCommandClientRecord, ClientsCommandState } from './clients-command-state.js';

/** What every HTTP handler works with. */
export interface ClientsCommandContext {
  readonly state: ClientsCommandState;
  readonly clock: SimulatorClock;
  /** Today's date by the simulator clock in the tenant's time zone. */
  today(): ClientsCommandDate;
}

export type ClientLookup =
  | { readonly ok: true; readonly client: ClientsCommandClientRecord }
  | { readonly ok: false; readonly response: SimulatorResponse };

/** Resolves the `{clientId}` path segment; 404 `error.msg.client.id.invalid` for unknown or non-numeric ids. */
export function lookupClient(context: ClientsCommandContext, rawId: string | undefined): ClientLookup {
  const id = parseId(rawId);
  const client = id === undefined ? undefined : context.state.clients.get(id);
  return client ? { ok: true, client } : { ok: false, response: clientNotFound(rawId ?? '') };
}

/** A path id: digits only, no sign, no leading zeros trickery beyond what Number accepts. */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}
