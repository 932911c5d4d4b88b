import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface Summary { id: string; family: string; vendor: string; model: string; description: string | null; version: number }
interface Detail extends Summary {
  points: Record<string, unknown>[];
  commands: { id: string; name: string; description: string | null; params: Record<string, unknown>[] }[];
}

let api: ApiTestServer;
let manager: string;

beforeAll(async () => {
  api = await startApiServer();
  manager = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
});
afterAll(async () => {
  await api.cleanup();
});

describe('GET /profiles', () => {
  it('lists every built-in profile with its family, for any role', async () => {
    const reply = await api.call<{ items: Summary[] }>('GET', '/profiles', manager);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((p) => [p.id, p.family])).toEqual([
      ['aquametrix-um50', 'water-meter'], ['liftronic-lmi-200', 'elevator'],
      ['parksense-pgc-128', 'parking'], ['semaforo-tsc-8', 'signal-cabinet'],
    ]);
    expect(reply.body.items[1]).toMatchObject({ vendor: 'Liftronic', model: 'LMI-200 lift monitoring interface', version: expect.any(Number) });
    expect(reply.body.items[1]).not.toHaveProperty('points');
  });

  it('gives one profile\'s points (labels, units, access, limits) and commands with their parameters', async () => {
    const reply = await api.call<Detail>('GET', '/profiles/semaforo-tsc-8', manager);
    expect(reply.status).toBe(200);
    expect(reply.body.points.find((p) => p.id === 'mode')).toEqual({
      id: 'mode', name: 'Controller mode', unit: null, type: 'uint16', access: 'rw',
      enum: { 0: 'auto', 1: 'manual', 2: 'flash', 3: 'dark', 4: 'pre-empt' }, labels: null, min: null, max: null, description: null,
    });
    const preempt = reply.body.commands.find((c) => c.id === 'preempt-request');
    expect(preempt?.name).toBe('Emergency-vehicle pre-emption');
    expect(preempt?.params).toEqual([
      { name: 'phase', type: 'int', description: 'Phase to serve', min: 1, max: 8, values: null },
      { name: 'duration', type: 'int', description: 'Hold time in seconds', min: 5, max: 120, values: null },
    ]);
    // Wire details stay on the server.
    expect(reply.body.points[0]).not.toHaveProperty('address');
    expect(reply.body).not.toHaveProperty('alarms');
    const lift = await api.call<Detail>('GET', '/profiles/liftronic-lmi-200', manager);
    expect(lift.body.points.find((p) => p.id === 'floor')).toMatchObject({ unit: 'floor', access: 'r' });
  });

  it('answers 404 for an unknown profile, 400 for a bad id and 401 without a token', async () => {
    expect((await api.call('GET', '/profiles/no-such', manager)).body).toEqual({ error: { code: 'NOT_FOUND', message: 'profile no-such not found' } });
    expect((await api.call('GET', '/profiles/Bad_Id', manager)).status).toBe(400);
    expect((await api.call('GET', '/profiles')).status).toBe(401);
  });
});
