import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignedDelivery } from './fixtures.js';

/**
 * The floor of figures 2 and 3 (and of the speed-of-light measurement): bare HMAC-SHA256 verification of
 * the `Technest-Signature` header, the timestamp tolerance, and `JSON.parse` of the body. Answers the
 * length of the event's customer id, for the caller's sink (so nothing is optimised away).
 */
export function floorVerifyAndParse(delivery: SignedDelivery, secret: string, nowSeconds: number): number {
  const header = delivery.headers['technest-signature']!;
  let t = '';
  let v1 = '';
  for (const part of header.split(',')) {
    if (part.startsWith('t=')) t = part.slice(2);
    else if (part.startsWith('v1=')) v1 = part.slice(3);
  }
  const expected = createHmac('sha256', secret).update(`${t}.`).update(delivery.body).digest();
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('floor: bad signature');
  if (Math.abs(nowSeconds - Number(t)) > 300) throw new Error('floor: stale');
  return (JSON.parse(delivery.body.toString('utf8')) as { data: { id: string } }).data.id.length;
}
