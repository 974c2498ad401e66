import type { ConsoleKyc } from '../console-options.js';
import type { PersonalDataView } from '../mask.js';

/** What every page renders with. */
export interface PageContext {
  readonly kyc: ConsoleKyc;
  /** Personal data, masked unless the app shows it. */
  readonly personal: PersonalDataView;
  /** Now, in epoch milliseconds (the console's `now` option), for ages. */
  readonly now: () => number;
  /** This browser's CSRF token for the page's forms. */
  readonly csrfToken: string;
  /** A console URL: `basePath` + `path`, with the query's defined values. */
  link(path: string, query?: Readonly<Record<string, string | undefined>>): string;
}

/** Builds `link` for a mount point (`basePath` already normalized: `''` or `/x`, no trailing slash). */
export function linkBuilder(basePath: string): PageContext['link'] {
  return (path, query = {}) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
    const search = params.toString();
    return `${basePath}${path}${search === '' ? '' : `?${search}`}`;
  };
}

/** The path of a customer's page, its id encoded as one path segment. */
export const customerPath = (customerId: string): string => `/customers/${encodeURIComponent(customerId)}`;

/** The path of a consumer's dead letters (consumer names are `[\w.:-]`, encoded anyway). */
export const deadLettersPath = (consumer: string): string => `/consumers/${encodeURIComponent(consumer)}/dead-letters`;
