import { SIM_CREDENTIALS, type SimUrls } from './fixtures.js';
import type { RawTechnest } from './raw-technest.js';
import type { SimProcess } from './sim-process.js';

/**
 * Customers per Technest account (simulator instance) in the HTTP figures.
 *
 * Until issue 16 the Technest simulator re-checked every customer under review on
 * every API request (O(customers) per request, ~0.17 µs each): with 10 000 in one
 * simulator a GET cost it ~1.7 ms, so the figures spread customers over accounts
 * of 100. The simulator now keeps a lower bound of the next review's due time and
 * answers in O(1) until then, so one account holds every customer of a figure (up
 * to the scaling table's 100 000); the code still supports several accounts.
 */
export const CUSTOMERS_PER_ACCOUNT = 100_000;

/** (Re)starts `count` fresh Technest simulators named `<prefix>-<n>`; reviews never finish on their own. */
export async function startAccounts(sim: SimProcess, prefix: string, count: number): Promise<SimUrls[]> {
  const urls: SimUrls[] = [];
  for (let a = 0; a < count; a++) {
    urls.push(await sim.call<SimUrls>('technest.start', { name: `${prefix}-${a}`, ...SIM_CREDENTIALS, reviewDelayMs: Number.POSITIVE_INFINITY }));
  }
  return urls;
}

/** One token per account, fetched on first use and shared by concurrent callers (as the adapter's cache does). */
export function tokensPerAccount(raws: readonly RawTechnest[]): (account: number) => Promise<string> {
  const tokens = new Map<number, Promise<string>>();
  return (account) => {
    let token = tokens.get(account);
    if (token === undefined) {
      token = raws[account]!.token();
      tokens.set(account, token);
    }
    return token;
  };
}
