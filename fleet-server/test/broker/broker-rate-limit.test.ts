import { afterEach, describe, it, expect } from 'vitest';
import type { RunningBroker } from '../../src/broker/start-broker.js';
import { asGateway, connectOnce, refusalCode, startTestBroker } from './mqtt-helpers.js';

const WINDOW = 60_000;
let running: RunningBroker | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

function fakeClock() {
  let t = 5_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function expectAccepted(port: number, id: 'gw-a' | 'gw-b'): Promise<void> {
  const client = await connectOnce(port, asGateway(id));
  expect(client.connected).toBe(true);
  await client.endAsync();
}

describe('broker connection rate limit', () => {
  it('per client id: refuses after a burst of bad attempts, then lets the right secret in after the window', async () => {
    const clock = fakeClock();
    running = await startTestBroker({
      perClientId: { attempts: 3, windowMs: WINDOW },
      perAddress: { attempts: 1000, windowMs: WINDOW },
      now: clock.now,
    });
    const { port } = running;
    const bad = asGateway('gw-a', { password: 'guess' });
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push(await refusalCode(port, bad));
    expect(burst).toEqual([4, 4, 4]);
    // Now even the right secret is refused (5, not authorized) — without running scrypt.
    expect(await refusalCode(port, asGateway('gw-a'))).toBe(5);
    // Another gateway on the same address is unaffected.
    await expectAccepted(port, 'gw-b');
    clock.advance(WINDOW);
    await expectAccepted(port, 'gw-a');
    expect(running.stats().refusedConnects.rateLimited).toBe(1);
    expect(running.stats().refusedConnects.badCredentials).toBe(3);
  });

  it('per remote address: a burst under many client ids blocks the address until the window passes', async () => {
    const clock = fakeClock();
    running = await startTestBroker({
      perClientId: { attempts: 1000, windowMs: WINDOW },
      perAddress: { attempts: 3, windowMs: WINDOW },
      now: clock.now,
    });
    const { port } = running;
    const codes = [];
    for (const id of ['gw-x', 'gw-y', 'gw-z']) codes.push(await refusalCode(port, { clientId: id, username: id, password: 'guess' }));
    expect(codes).toEqual([4, 4, 4]);
    expect(await refusalCode(port, asGateway('gw-a'))).toBe(5);
    clock.advance(WINDOW / 3); // one token back
    await expectAccepted(port, 'gw-a');
    expect(await refusalCode(port, asGateway('gw-b'))).toBe(5);
  });
});
