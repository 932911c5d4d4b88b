import { describe, expect, it } from 'vitest';
import { commandResultText } from '../../web/src/lib/command-result.js';
import { actorName, formatDuration, formatElapsed, formatValue, gatewayCounts, isoDuration } from '../../web/src/lib/format.js';

describe('dashboard formatting', () => {
  it('shows live timers as m:ss, h:mm:ss and days', () => {
    expect(formatElapsed(7_000)).toBe('0:07');
    expect(formatElapsed(754_000)).toBe('12:34');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000)).toBe('3 d 04:05:06');
    expect(formatElapsed(-5_000)).toBe('0:00');
    expect(isoDuration(3_723_000)).toBe('PT1H2M3S');
  });

  it('shows median and worst durations, and a dash without data', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(2 * 3_600_000 + 7 * 60_000)).toBe('2 h 7 min');
    expect(formatDuration(27 * 3_600_000)).toBe('1 d 3 h');
  });

  it('formats values with enum labels, units, bit labels and comm-fail', () => {
    expect(formatValue(2, { enumMap: { '0': 'auto', '2': 'flash' } })).toBe('flash');
    expect(formatValue(1.23456, { unit: 'm³/h' })).toBe('1.23 m³/h');
    expect(formatValue(0.012345, { unit: 'm³/h' })).toBe('0.012 m³/h');
    expect(formatValue(4, { unit: 'floor' })).toBe('4 floor');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(null)).toBe('—');
    expect(formatValue([true, false, true], { labels: { '0': 'sg1-red', '2': 'sg3-red' } })).toBe('sg1-red, sg3-red');
    expect(formatValue([false, false])).toBe('none');
    expect(formatValue([false, true])).toBe('bit 1');
  });

  it('counts gateways, naming the never connected ones only when there are some', () => {
    expect(gatewayCounts({ online: 1, offline: 0, unknown: 0 })).toBe('1 online, 0 offline');
    expect(gatewayCounts({ online: 1, offline: 0, unknown: 1 })).toBe('1 online, 0 offline, 1 never connected');
  });

  it('names actors', () => {
    expect(actorName('user:mona')).toBe('mona');
    expect(actorName('contact:c-ann')).toBe('contact:c-ann');
    expect(actorName('ack-link:alert:3:step:1:round:0:contact:riverside-ann')).toBe('riverside-ann (SMS link)');
  });
});

describe('command result line', () => {
  it('says succeeded, waiting, or failed with the gateway reason', () => {
    expect(commandResultText('set-flash', { state: 'ok', result: { status: 'ok' } })).toEqual({ text: 'set-flash: succeeded', ok: true });
    expect(commandResultText('set-flash', { state: 'pending', result: null }).ok).toBeNull();
    expect(commandResultText('preempt-request', { state: 'not-confirmed', result: { status: 'not-confirmed', reason: 'mode is flash (2)' } })).toEqual({
      text: 'preempt-request: failed: not-confirmed (mode is flash (2))', ok: false,
    });
    expect(commandResultText('set-auto', { state: 'expired', result: null }).text).toBe('set-auto: failed: expired');
    expect(commandResultText('set-auto', { state: 'unanswered', result: null })).toEqual({
      text: 'set-auto: no answer from the gateway before the command expired (is it offline?)', ok: false, provisional: true,
    });
  });
});
