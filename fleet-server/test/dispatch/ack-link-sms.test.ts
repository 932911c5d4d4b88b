import { describe, expect, it } from 'vitest';
import { notificationKey } from '../../src/alerts/index.js';
import { ackUrlFor, createAckCode, createAckToken, parseAckReply, verifyAckCode } from '../../src/dispatch/index.js';
import { composeAlertSms, measureSms } from '../../src/notify/index.js';

const SECRET = 'an-ack-secret-of-32-characters!!';
const BASE_URL = 'https://fleet.example.com';
const AT = new Date('2026-11-28T19:32:10Z');
const DAY = 86_400_000;
/** The liftronic-lmi-200 profile's entrapment message, as the end-to-end test raises it. */
const FAULT = 'Passenger trapped between floors near floor 7, alarm button pressed';

function smsFor(alertId: number, fault: string, site = 'Tower A', device = 'lift-1'): ReturnType<typeof composeAlertSms> {
  const token = createAckToken({ alertId, notificationKey: notificationKey(alertId, 2, 1, 'c-2'), expiresAt: AT.getTime() + DAY }, SECRET);
  return composeAlertSms({ site, device, fault, at: AT, timeZone: 'Europe/Berlin', ackUrl: ackUrlFor(BASE_URL, token) });
}

describe('alert SMS with a compact ack link', () => {
  it('the whole elevator alert, link included, fits one GSM-7 segment untouched', () => {
    const sms = smsFor(17, FAULT);
    expect(sms.text).toMatch(/^Tower A lift-1: Passenger trapped between floors near floor 7, alarm button pressed 28 Nov 20:32 ACK https:\/\/fleet\.example\.com\/ack\/[A-Za-z0-9_-]{28}$/);
    expect(sms).toMatchObject({ encoding: 'gsm7', truncated: false, fitsOneSegment: true });
    expect(sms.units).toBeLessThanOrEqual(160);
  });

  it.each([128, 16_383, 2_000_000])('alert %i: one segment, and the fault loses at most a word', (alertId) => {
    const sms = smsFor(alertId, FAULT);
    expect(sms.fitsOneSegment).toBe(true);
    expect(measureSms(sms.text).units).toBeLessThanOrEqual(160);
    expect(sms.text).toContain('Tower A lift-1: Passenger trapped between floors near floor 7, alarm button');
  });

  it('site and device names of a real deployment still leave the fault readable', () => {
    const sms = smsFor(4_321, 'Passenger trapped (stopped between floors)', 'Riverside Block C', 'Lift 2 (east)');
    expect(sms).toMatchObject({ truncated: false, fitsOneSegment: true });
    expect(sms.text).toContain('Riverside Block C Lift 2 (east): Passenger trapped (stopped between floors) 28 Nov 20:32 ACK');
  });

  it('with a reply code (Twilio inbound): one segment, the code whole and parseable, the fault still names the fault', () => {
    const token = createAckToken({ alertId: 17, notificationKey: notificationKey(17, 1, 0, 'c-1'), expiresAt: AT.getTime() + DAY }, SECRET);
    const code = createAckCode(17, SECRET);
    const sms = composeAlertSms({ site: 'Tower A', device: 'lift-1', fault: FAULT, at: AT, timeZone: 'Europe/Berlin', ackUrl: ackUrlFor(BASE_URL, token), replyCode: code });
    expect(sms).toMatchObject({ encoding: 'gsm7', fitsOneSegment: true, truncated: true });
    expect(sms.text).toMatch(/^Tower A lift-1: Passenger trapped between floors.* 28 Nov 20:32 ACK https:\/\/fleet\.example\.com\/ack\/\S{28} or reply ACK 17-[A-Z2-9]{6}$/);
    // What a person types back is exactly what the inbound route accepts.
    const typed = parseAckReply(`ACK ${sms.text.split('reply ACK ')[1] ?? ''}`);
    expect(typed && verifyAckCode(typed, SECRET)).toEqual({ ok: true, alertId: 17 });
  });
});
