// The alert board's state: open alerts by id, newest raised first, and the few most recently
// resolved. Fed by the initial GET /alerts?state=open and by the live stream's alert events.
import type { Alert } from '../api/types.js';
import { severityRank } from './format.js';

export interface BoardState {
  open: readonly Alert[];
  resolved: readonly Alert[];
}

export const RECENTLY_RESOLVED = 10;

export const emptyBoard: BoardState = { open: [], resolved: [] };

function newestFirst(a: Alert, b: Alert): number {
  return b.raisedAt - a.raisedAt || b.id - a.id;
}

/** The board after a full load: the open alerts (any order), resolved list kept. */
export function loadBoard(state: BoardState, open: readonly Alert[]): BoardState {
  const live = open.filter((a) => a.state !== 'resolved');
  return { open: [...live].sort(newestFirst), resolved: state.resolved };
}

/**
 * One alert's new version. An older version than the one shown (by updatedAt) is ignored, so a
 * late event cannot undo an acknowledgement; a resolved alert leaves the board for `resolved`.
 */
export function applyAlert(state: BoardState, alert: Alert): BoardState {
  const current = state.open.find((a) => a.id === alert.id) ?? state.resolved.find((a) => a.id === alert.id);
  if (current !== undefined && current.updatedAt > alert.updatedAt) return state;
  const open = state.open.filter((a) => a.id !== alert.id);
  const resolved = state.resolved.filter((a) => a.id !== alert.id);
  if (alert.state === 'resolved') {
    return { open, resolved: [alert, ...resolved].slice(0, RECENTLY_RESOLVED) };
  }
  open.push(alert);
  return { open: open.sort(newestFirst), resolved };
}

/** A device's open alerts, most severe first (then newest): what its card on the site view lists. */
export function deviceAlerts(open: readonly Alert[], gateway: string, device: string): Alert[] {
  return open.filter((a) => a.gateway === gateway && a.device === device).sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || newestFirst(a, b));
}
