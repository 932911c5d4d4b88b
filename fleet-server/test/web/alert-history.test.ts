import { describe, expect, it } from 'vitest';
import type { Alert } from '../../web/src/api/types.js';
import { alertsCsv, csvFileName, csvText } from '../../web/src/lib/alerts-csv.js';
import { historySummary, responseTimes } from '../../web/src/lib/history-figures.js';
import {
  alertsPath, DEFAULT_FILTERS, historyHash, historyQuery, parseHistoryQuery, rangeBounds, type HistoryFilters,
} from '../../web/src/lib/history-filters.js';
import { parseRoute } from '../../web/src/lib/router.js';
import { browserTimeZone, parseDate } from '../../web/src/lib/zoned-day.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'resolved', severity: 'critical', message: `alert ${id}`,
  raisedAt: 1_000_000, updatedAt: 1_000_000, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, ...over,
});
const filters = (over: Partial<HistoryFilters>): HistoryFilters => ({ ...DEFAULT_FILTERS, ...over });
/** Local times, so the tests hold in whatever zone they run (the browser's zone is then the process's). */
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('the history route', () => {
  it('takes its filters from the query; the path is matched as before', () => {
    expect(parseRoute('#/alerts/history?site=south&range=30d')).toEqual({ view: 'alert-history', query: 'site=south&range=30d' });
    expect(parseRoute('#/alerts/history/?state=open')).toEqual({ view: 'alert-history', query: 'state=open' });
    expect(parseRoute('#/alerts/history?')).toEqual({ view: 'alert-history' });
    expect(parseRoute('#/alerts/history')).toEqual({ view: 'alert-history' });
    expect(parseRoute('#/alerts')).toEqual({ view: 'alerts' });
  });

  it('is the only route with a query: elsewhere one is still no page', () => {
    expect(parseRoute('#/sites?x=1')).toEqual({ view: 'not-found', hash: '#/sites?x=1' });
    expect(parseRoute('#/alerts?site=a')).toEqual({ view: 'not-found', hash: '#/alerts?site=a' });
    // An encoded "?" belongs to the id.
    expect(parseRoute('#/sites/a%3Fb')).toEqual({ view: 'site', site: 'a?b' });
  });
});

describe('history filters in the hash query', () => {
  it('round-trip, writing only what differs from the defaults', () => {
    const f = filters({ site: 'south', severity: 'critical', state: 'resolved', range: 'custom', from: '2026-11-01', to: '2026-11-07', gateway: 'gw-a', device: 'lift-1' });
    expect(historyQuery(f)).toBe('site=south&severity=critical&state=resolved&range=custom&from=2026-11-01&to=2026-11-07&gateway=gw-a&device=lift-1');
    expect(parseHistoryQuery(historyQuery(f))).toEqual(f);
    expect(historyQuery(DEFAULT_FILTERS)).toBe('');
    expect(historyHash(DEFAULT_FILTERS)).toBe('#/alerts/history');
    expect(historyHash(filters({ site: 'x', range: 'today' }))).toBe('#/alerts/history?site=x&range=today');
    expect(parseHistoryQuery('')).toEqual(DEFAULT_FILTERS);
  });

  it('drop values that are not allowed, so an edited link still opens a page', () => {
    expect(parseHistoryQuery('site=South!&severity=fatal&state=snoozed&range=1y&device=' + 'x'.repeat(65))).toEqual(DEFAULT_FILTERS);
    // Dates only with a custom range, and only real ones.
    expect(parseHistoryQuery('range=7d&from=2026-11-01')).toEqual(DEFAULT_FILTERS);
    expect(parseHistoryQuery('range=custom&from=2026-02-30&to=2026-03-01')).toEqual(filters({ range: 'custom', to: '2026-03-01' }));
    expect(parseDate('2026-13-01')).toBeNull();
    expect(parseDate('26-11-01')).toBeNull();
  });

  it("turn into calendar-day bounds in the browser's zone when it is the history's (other zones: history-days.test.ts)", () => {
    const now = local(2026, 11, 29, 14, 30);
    const rangeBoundsHere = (f: HistoryFilters, at: number) => rangeBounds(f, at, browserTimeZone());
    expect(rangeBoundsHere(filters({ range: 'today' }), now)).toEqual({ from: local(2026, 11, 29), to: null });
    expect(rangeBoundsHere(filters({ range: '7d' }), now)).toEqual({ from: local(2026, 11, 23), to: null });
    expect(rangeBoundsHere(filters({ range: '30d' }), now)).toEqual({ from: local(2026, 10, 31), to: null });
    // Custom: both days included.
    expect(rangeBoundsHere(filters({ range: 'custom', from: '2026-11-01', to: '2026-11-07' }), now)).toEqual({ from: local(2026, 11, 1), to: local(2026, 11, 8) });
    expect(rangeBoundsHere(filters({ range: 'custom', from: '2026-11-07', to: '2026-11-07' }), now)).toEqual({ from: local(2026, 11, 7), to: local(2026, 11, 8) });
    expect(rangeBoundsHere(filters({ range: 'custom', from: '2026-11-08', to: '2026-11-07' }), now)).toEqual({ error: 'The last day must not be before the first.' });
    expect(rangeBoundsHere(filters({ range: 'custom', from: null, to: '2026-11-07' }), now)).toHaveProperty('error');
  });

  it('ask GET /alerts for exactly the filtered set, paging with before=', () => {
    const f = filters({ site: 'south', severity: 'major', state: 'open', gateway: 'gw-a', device: 'lift-1' });
    expect(alertsPath(f, { from: 100, to: null }, 200)).toBe('/alerts?state=open&site=south&gateway=gw-a&device=lift-1&severity=major&from=100&limit=200');
    expect(alertsPath(DEFAULT_FILTERS, { from: 100, to: 900 }, 200, 17)).toBe('/alerts?from=100&to=900&before=17&limit=200');
    expect(alertsPath(filters({ state: 'acknowledged' }), { from: 1, to: null }, 5)).toContain('state=acknowledged&');
    expect(alertsPath(filters({ state: 'resolved' }), { from: 1, to: null }, 5)).toContain('state=resolved&');
  });
});

describe('history response times and summary', () => {
  it('measure from raised to acknowledged and to resolved; never negative', () => {
    expect(responseTimes(alert(1, { acknowledgedAt: 1_065_000, resolvedAt: 1_300_000 }))).toEqual({ toAcknowledgeMs: 65_000, toResolveMs: 300_000 });
    expect(responseTimes(alert(2, { state: 'raised' }))).toEqual({ toAcknowledgeMs: null, toResolveMs: null });
    expect(responseTimes(alert(3, { acknowledgedAt: 999_000 }))).toEqual({ toAcknowledgeMs: 0, toResolveMs: null });
  });

  it('count every row; median and worst over those acknowledged / resolved', () => {
    const rows = [
      alert(1, { acknowledgedAt: 1_010_000, resolvedAt: 1_100_000 }),
      alert(2, { acknowledgedAt: 1_030_000, resolvedAt: 1_200_000 }),
      alert(3, { resolvedAt: 1_050_000 }), // resolved (the fault cleared) without an acknowledgement
      alert(4, { state: 'raised' }),
    ];
    expect(historySummary(rows)).toEqual({
      count: 4,
      toAcknowledge: { count: 2, medianMs: 20_000, worstMs: 30_000 },
      toResolve: { count: 3, medianMs: 100_000, worstMs: 200_000 },
    });
    expect(historySummary([])).toEqual({ count: 0, toAcknowledge: { count: 0, medianMs: null, worstMs: null }, toResolve: { count: 0, medianMs: null, worstMs: null } });
  });
});

describe('history CSV', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180) and keeps formulas text', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvText('-5 °C')).toBe("'-5 °C");
    expect(csvText('@sum')).toBe("'@sum");
    expect(csvText('\0=1+1')).toBe("'\0=1+1");
    expect(csvText('\t=1+1')).toBe("'\t=1+1");
    expect(csvText('')).toBe('');
  });

  it('has a header and one CRLF line per alert, ISO times (here UTC) and whole seconds, the zone named', () => {
    const rows = [
      alert(7, { message: 'Trapped, floor 3', acknowledgedAt: 1_065_400, acknowledgedBy: 'user:mona', resolvedAt: 1_300_000 }),
      alert(6, { state: 'raised', severity: 'minor', message: 'Door "stuck"' }),
    ];
    const text = alertsCsv(rows, (a) => (a.id === 7 ? 'South, Tower A' : 'North'), 'UTC');
    expect(text.split('\r\n')).toEqual([
      'id,raised_at,site,gateway,device,rule,message,severity,state,acknowledged_at,acknowledged_by,time_to_acknowledge_s,resolved_at,time_to_resolve_s,time_zone',
      '7,1970-01-01T00:16:40.000Z,"South, Tower A",gw-a,lift-1,entrapment,"Trapped, floor 3",critical,resolved,1970-01-01T00:17:45.400Z,user:mona,65,1970-01-01T00:21:40.000Z,300,UTC',
      '6,1970-01-01T00:16:40.000Z,North,gw-a,lift-1,entrapment,"Door ""stuck""",minor,raised,,,,,,UTC',
      '',
    ]);
  });

  it("names the file after what was exported, today being the zone's date", () => {
    const now = Date.parse('2026-11-29T10:30:00Z');
    expect(csvFileName(filters({ site: 'south' }), now, 'Europe/Madrid')).toBe('alert-history-south-7d-to-2026-11-29.csv');
    expect(csvFileName(filters({ range: 'today' }), now, 'America/New_York')).toBe('alert-history-all-sites-2026-11-29.csv');
    // 00:30 on the 30th at UTC+14.
    expect(csvFileName(filters({ range: 'today' }), now, 'Pacific/Kiritimati')).toBe('alert-history-all-sites-2026-11-30.csv');
    expect(csvFileName(filters({ range: 'custom', from: '2026-11-01', to: '2026-11-07' }), now, 'UTC')).toBe('alert-history-all-sites-2026-11-01-to-2026-11-07.csv');
  });
});
