import { expect, it } from 'vitest';
import { createSimulatorClock } from '../../src/simulators/shared/simulator-clock.js';
import { createTechnestSimulator } from '../../src/simulators/technest/technest-simulator.js';

it('can share a clock with other simulators: expiry follows the shared time', async () => {
  const clock = createSimulatorClock({ start: '2026-11-22T10:00:00Z' });
  const sim = await createTechnestSimulator({ clock, tokenTtlSeconds: 60 });
  try {
    expect(sim.clock).toBe(clock);
    expect(sim.clock.now().toISOString()).toBe('2026-11-22T10:00:00.000Z');
    const token = sim.issueAccessToken();
    await clock.advance(61_000);
    const response = await fetch(`${sim.url}/v1/customers?customer_reference=x`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('token_expired');
  } finally {
    await sim.close();
  }
});
