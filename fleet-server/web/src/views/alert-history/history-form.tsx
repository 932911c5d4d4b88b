// The alert history's filters. Selects and dates apply as they change; the device field on
// Enter, on leaving it, or with "Apply filters". The time range's label names the zone its days
// are in when that is not the browser's ("Time range (Pacific/Kiritimati)"), as the overview's
// "today (Europe/Madrid)" does.
import { useEffect, useState } from 'preact/hooks';
import type { Gateway, Severity, Site } from '../../api/types.js';
import { SEVERITIES } from '../../lib/format.js';
import { HISTORY_RANGES, HISTORY_STATES, type HistoryFilters, type HistoryRange, type HistoryState } from '../../lib/history-filters.js';
import { DAY, formatDate, zonedDayNumber, zoneNote } from '../../lib/zoned-day.js';

const RANGE_LABELS: Record<HistoryRange, string> = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Custom dates' };
const STATE_LABELS: Record<HistoryState, string> = { all: 'All', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };

function Options<T extends string>({ values, label }: { values: readonly T[]; label: (v: T) => string }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );
}

interface Props {
  filters: HistoryFilters;
  sites: Site[];
  gateways: Gateway[];
  /** The zone of the range's days, and the browser's. */
  timeZone: string;
  viewerZone: string;
  onChange: (f: HistoryFilters) => void;
}

export function HistoryForm({ filters, sites, gateways, timeZone, viewerZone, onChange }: Props) {
  const [device, setDevice] = useState(filters.device ?? '');
  useEffect(() => setDevice(filters.device ?? ''), [filters.device]);
  const set = (change: Partial<HistoryFilters>): void => onChange({ ...filters, ...change });
  const applyDevice = (): void => {
    const d = device.trim();
    if (d !== (filters.device ?? '')) set({ device: d === '' ? null : d });
  };
  const siteGateways = gateways.filter((g) => filters.site === null || g.site === filters.site);

  const setRange = (range: HistoryRange): void => {
    if (range !== 'custom') return set({ range, from: null, to: null });
    // A custom range starts as the last 7 days (the zone's), so the fields are never empty.
    const today = zonedDayNumber(Date.now(), timeZone);
    set({ range, from: filters.from ?? formatDate(today - 6 * DAY), to: filters.to ?? formatDate(today) });
  };

  return (
    <form
      class="controls history-filters"
      role="search"
      aria-label="Filter alerts"
      onSubmit={(e) => {
        e.preventDefault();
        applyDevice();
      }}
    >
      <label>
        Site
        <select
          value={filters.site ?? ''}
          onChange={(e) => {
            const site = e.currentTarget.value === '' ? null : e.currentTarget.value;
            // A gateway of another site would match nothing: drop it with the site change.
            const keep = filters.gateway !== null && gateways.some((g) => g.id === filters.gateway && (site === null || g.site === site));
            set({ site, gateway: keep ? filters.gateway : null });
          }}
        >
          <option value="">All my sites</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={filters.severity ?? ''} onChange={(e) => set({ severity: e.currentTarget.value === '' ? null : (e.currentTarget.value as Severity) })}>
          <option value="">Any</option>
          <Options values={SEVERITIES} label={(s) => s} />
        </select>
      </label>
      <label>
        State
        <select value={filters.state} onChange={(e) => set({ state: e.currentTarget.value as HistoryState })}>
          <Options values={HISTORY_STATES} label={(s) => STATE_LABELS[s]} />
        </select>
      </label>
      <label>
        {`Time range${zoneNote(timeZone, viewerZone)}`}
        <select value={filters.range} onChange={(e) => setRange(e.currentTarget.value as HistoryRange)}>
          <Options values={HISTORY_RANGES} label={(r) => RANGE_LABELS[r]} />
        </select>
      </label>
      {filters.range === 'custom' && (
        <>
          <label>
            From
            <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value === '' ? null : e.currentTarget.value })} />
          </label>
          <label>
            To
            <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value === '' ? null : e.currentTarget.value })} />
          </label>
        </>
      )}
      <label>
        Gateway
        <select value={filters.gateway ?? ''} onChange={(e) => set({ gateway: e.currentTarget.value === '' ? null : e.currentTarget.value })}>
          <option value="">All gateways</option>
          {siteGateways.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Device
        <input type="text" value={device} placeholder="device id" autoComplete="off" spellcheck={false} onInput={(e) => setDevice(e.currentTarget.value)} onChange={applyDevice} />
      </label>
      <button type="submit">Apply filters</button>
    </form>
  );
}
