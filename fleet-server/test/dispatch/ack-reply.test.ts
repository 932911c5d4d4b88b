import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptAckReply, createAckCode } from '../../src/dispatch/index.js';
import { T0, fakeClock, openTempStore, raiseAlert } from './sender-fixtures.js';
import type { TempStore } from './sender-fixtures.js';

const SECRET = 'ack-secret-0123456789';
const CONTACT_PHONE = '+4915100000001';

describe('acceptAckReply on a real SqliteStore', () => {
  let temp: TempStore;
  let alertId: number;
  let body: string;
  beforeEach(async () => {
    temp = await openTempStore(fakeClock());
    await temp.store.upsertContact({ id: 'c1', site: 'site-a', name: 'Al', phone: CONTACT_PHONE, role: 'technician', escalationOrder: 1 });
    alertId = await raiseAlert(temp.store, T0);
    body = `ACK ${createAckCode(alertId, SECRET)}`;
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('acknowledges as the contact, audits it, and refuses a repeated reply as used', async () => {
    const first = await acceptAckReply(temp.store, { body, from: CONTACT_PHONE, secret: SECRET, now: T0 + 1_000 });
    expect(first).toMatchObject({ ok: true, contactId: 'c1', alert: { state: 'acknowledged', acknowledgedBy: 'contact:c1' } });
    const audit = await temp.store.listAudit({ target: `alert:${alertId}` });
    expect(audit.map((e) => [e.actor, e.details])).toEqual([['contact:c1', { via: 'sms-reply' }]]);
    expect(await acceptAckReply(temp.store, { body, from: CONTACT_PHONE, secret: SECRET, now: T0 + 2_000 })).toEqual({ ok: false, error: 'used' });
  });

  it('refuses a valid code from a number that is not a contact of the site', async () => {
    expect(await acceptAckReply(temp.store, { body, from: '+4915199999999', secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'unknown-sender' });
    expect((await temp.store.getAlert(alertId))?.state).toBe('raised');
  });

  it.each([
    ['hello', 'not-an-ack'],
    ['ACK 17', 'malformed'],
  ])('refuses %j as %s', async (text, error) => {
    expect(await acceptAckReply(temp.store, { body: text, from: CONTACT_PHONE, secret: SECRET, now: T0 })).toEqual({ ok: false, error });
  });

  it('refuses a code for another alert id as tampered and an unknown alert as unknown-alert', async () => {
    const mac = createAckCode(alertId, SECRET).split('-')[1] ?? '';
    expect(await acceptAckReply(temp.store, { body: `ACK ${alertId + 1}-${mac}`, from: CONTACT_PHONE, secret: SECRET, now: T0 }))
      .toEqual({ ok: false, error: 'tampered' });
    const ghost = `ACK ${createAckCode(alertId + 100, SECRET)}`;
    expect(await acceptAckReply(temp.store, { body: ghost, from: CONTACT_PHONE, secret: SECRET, now: T0 })).toEqual({ ok: false, error: 'unknown-alert' });
  });
});
