/**
 * `date.toISOString()`, remembered for the last instant formatted. Formatting a Date costs about as much as a
 * store's index lookup, and under load many webhooks and polls are handled within the same millisecond (their
 * `at` is the same text). An invalid date is never remembered (NaN equals nothing): it throws as before.
 */
export function isoInstant(date: Date): string {
  const ms = date.getTime();
  if (ms === lastMs) return lastText;
  const text = date.toISOString();
  lastMs = ms;
  lastText = text;
  return text;
}

let lastMs = Number.NaN;
let lastText = '';
