import { describe, expect, it } from 'vitest';
import { composeAlertSms, formatLocalTime, measureSms } from '../../src/notify/index.js';
import type { AlertSmsInput } from '../../src/notify/index.js';

const AT = new Date('2026-11-28T19:32:10Z');
const LINK = 'https://fleet.example.com/ack/Vb3kQ9xZ.7f1c2e';
const BASE: AlertSmsInput = { site: 'Tower A', device: 'Lift 2', fault: 'Entrapment', at: AT, timeZone: 'Europe/Berlin', ackUrl: LINK };

describe('measureSms', () => {
  it.each([
    ['plain ASCII', 'Lift 2 ok', { encoding: 'gsm7', units: 9, limit: 160 }],
    ['GSM-7 accents', 'Müller Straße', { encoding: 'gsm7', units: 13, limit: 160 }],
    ['extension table counts twice', '[€]', { encoding: 'gsm7', units: 6, limit: 160 }],
    ['one non-GSM character switches to UCS-2', 'Lift ł', { encoding: 'ucs2', units: 6, limit: 70 }],
    ['Chinese', '电梯困人', { encoding: 'ucs2', units: 4, limit: 70 }],
  ])('%s', (_name, text, expected) => {
    expect(measureSms(text)).toEqual(expected);
  });
});

describe('formatLocalTime', () => {
  it.each([
    ['Europe/Berlin', '28 Nov 20:32'],
    ['Asia/Shanghai', '29 Nov 03:32'],
    ['UTC', '28 Nov 19:32'],
  ])('%s', (zone, expected) => {
    expect(formatLocalTime(AT, zone)).toBe(expected);
  });
});

describe('composeAlertSms', () => {
  it('a short alert is sent whole', () => {
    expect(composeAlertSms(BASE)).toEqual({
      text: `Tower A Lift 2: Entrapment 28 Nov 20:32 ACK ${LINK}`,
      encoding: 'gsm7',
      units: 44 + LINK.length,
      limit: 160,
      truncated: false,
      fitsOneSegment: true,
    });
  });

  it('collapses whitespace and newlines in the fields', () => {
    expect(composeAlertSms({ ...BASE, site: ' Tower\nA ', fault: 'Entrapment\t (car 2)' }).text).toBe(
      `Tower A Lift 2: Entrapment (car 2) 28 Nov 20:32 ACK ${LINK}`,
    );
  });

  it('shortens a long fault to fit 160 septets, keeping the link and time whole', () => {
    const fault = 'Entrapment: car stopped between floors 7 and 8, door zone lost, alarm button pressed twice by passenger';
    const sms = composeAlertSms({ ...BASE, fault });
    expect(sms.units).toBeLessThanOrEqual(160);
    expect(sms.units).toBeGreaterThan(155);
    expect(sms.truncated).toBe(true);
    expect(sms.text.startsWith('Tower A Lift 2: Entrapment: car stopped')).toBe(true);
    expect(sms.text.endsWith(`... 28 Nov 20:32 ACK ${LINK}`)).toBe(true);
  });

  it('extension characters in the fault are counted as two septets while shortening', () => {
    const sms = composeAlertSms({ ...BASE, fault: '[E]{x}'.repeat(30) });
    expect(sms.encoding).toBe('gsm7');
    expect(sms.units).toBeLessThanOrEqual(160);
    expect(sms.text.endsWith(LINK)).toBe(true);
  });

  it('a Chinese site name switches to UCS-2 and the 70-unit limit', () => {
    const sms = composeAlertSms({ ...BASE, site: '上海中心大厦', device: '电梯2', fault: '困人：轿厢停在7楼和8楼之间，门区信号丢失，乘客已按下报警按钮两次', timeZone: 'Asia/Shanghai', ackUrl: 'https://f.cn/a/X1' });
    expect(sms.encoding).toBe('ucs2');
    expect(sms.units).toBeLessThanOrEqual(70);
    expect(sms.truncated).toBe(true);
    expect(sms.text).toMatch(/^上海中心大厦 电梯2: 困人：.*\.\.\. 29 Nov 03:32 ACK https:\/\/f\.cn\/a\/X1$/);
  });

  it('when even the minimum does not fit, the link is still whole and it says so', () => {
    const longLink = `https://fleet.example.com/ack/${'x'.repeat(150)}`;
    const sms = composeAlertSms({ ...BASE, site: 'Harbour Car Park North', device: 'Barrier controller 3', fault: 'Communication failure on RS-485 bus', ackUrl: longLink });
    expect(sms.fitsOneSegment).toBe(false);
    expect(sms.truncated).toBe(true);
    expect(sms.text.endsWith(longLink)).toBe(true);
    expect(sms.text).toBe(`Harbo... Barri...: Communi... 28 Nov 20:32 ACK ${longLink}`);
  });
});
