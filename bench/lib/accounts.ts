import { SIM_CREDENTIALS, type SimUrls } from './fixtures.js';
import type { RawTechnest } from './raw-technest.js';
import type { SimProcess } from './sim-process.js';

/**
 * Customers per Technest account (simulator instance) in the HTTP figures.
 *
 * The Technest simulator re-checks every customer's review on every API request
 * (`refreshReviews` → `applyDueReviews` walks all of its customers: O(N) per
 * request, ~0.17 µs per customer on this machine). With 10 000 customers in one
 * simulator a GET costs it ~1.7 ms and both sides are capped at ~500 GETs/s: the
 * figure would measure the simulator, and the difference between the two
 * clients would disappear. Spread over accounts of 100 customers (one adapter
 * instance per account, as a platform with several Technest accounts has; the
 * raw side talks to the same accounts), the simulator's cost per request stays
 * below the raw client's, so the client side is what the figure compares.
 */
export const CUSTOMERS_PER_ACCOUNT = 100;

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
