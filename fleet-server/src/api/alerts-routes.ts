import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { Severity } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../store/query-limit.js';
import type { Alert, AlertState } from '../store/store-types.js';
import { actorOf, principalOf, siteScope } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { visibleGateway, visibleSite } from './api-lookup.js';
import { ApiId, checkRange, Instant, Limit } from './api-schemas.js';
import { alertTimeline } from './alert-timeline.js';

const STATES = ['raised', 'notified', 'acknowledged', 'resolved'] as const;
/** "open": everything not resolved yet. */
const OPEN: AlertState[] = ['raised', 'notified', 'acknowledged'];

/** "a,b,c" → ["a","b","c"], each checked against `values`. */
const csvOf = <T extends string>(values: readonly T[], extra: readonly string[] = []) =>
  z.string().transform((text, ctx) => {
    const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.filter((s) => !(values as readonly string[]).includes(s) && !extra.includes(s));
    if (items.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${[...extra, ...values].join(', ')}${bad.length > 0 ? `; got ${bad.join(', ')}` : ''}` });
      return z.NEVER;
    }
    return items;
  });

const ListQuery = z.strictObject({
  state: csvOf(STATES, ['open']).optional(),
  site: ApiId.optional(),
  gateway: ApiId.optional(),
  device: ApiId.optional(),
  severity: csvOf(Severity.options).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  /** The next (older) page: alerts listed after this alert id. */
  before: z.coerce.number().int('must be an integer').min(1).optional(),
  limit: Limit(100),
}).superRefine(checkRange);

const AlertParams = z.strictObject({ id: z.coerce.number().int('must be an integer').min(1) });
/** The body of ack/resolve is optional; a note lands in the audit entry. */
const CloseBody = z.strictObject({ note: z.string().trim().min(1).max(500).optional() }).optional();

function statesOf(list: string[] | undefined): AlertState[] | undefined {
  if (list === undefined) return undefined;
  return [...new Set(list.flatMap((s) => (s === 'open' ? OPEN : [s as AlertState])))];
}

/**
 * /alerts: list (filters, manager scoped to their sites), one alert with its timeline, and
 * acknowledge/resolve by hand. Any role may act on the alerts of sites it can see.
 */
export function registerAlertsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  /** The alert, or NOT_FOUND when it does not exist or its site is not the caller's. */
  async function visibleAlert(req: FastifyRequest, id: number): Promise<Alert> {
    const alert = await store.getAlert(id);
    const gateway = alert && (await store.getGateway(alert.gateway));
    const scope = siteScope(principalOf(req));
    if (!alert || (scope !== undefined && (!gateway || !scope.includes(gateway.site)))) throw new ApiError('NOT_FOUND', `alert ${id} not found`);
    return alert;
  }

  app.get('/alerts', async (req) => {
    const q = parseInput(ListQuery, req.query, 'query');
    if (q.site !== undefined) await visibleSite(req, store, q.site);
    if (q.gateway !== undefined) await visibleGateway(req, store, q.gateway);
    const scope = siteScope(principalOf(req));
    const sites = q.site !== undefined ? [q.site] : scope;
    const states = statesOf(q.state);
    const severities = q.severity as Severity[] | undefined;
    // The cursor must be an alert the caller may see (404 otherwise, as for GET /alerts/:id), so
    // a manager cannot learn another site's raise times by paging around its alerts.
    const before = q.before === undefined ? undefined : await visibleAlert(req, q.before);
    const items = await store.listAlerts({
      ...(states ? { states } : {}), ...(sites ? { sites } : {}), ...(severities ? { severities } : {}),
      ...(q.gateway !== undefined ? { gateway: q.gateway } : {}), ...(q.device !== undefined ? { device: q.device } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}),
      ...(before ? { before: { raisedAt: before.raisedAt, id: before.id } } : {}),
      limit: q.limit,
    });
    return { items };
  });

  app.get('/alerts/:id', async (req) => {
    const alert = await visibleAlert(req, parseInput(AlertParams, req.params, 'params').id);
    const notifications = await store.listNotificationsForAlert(alert.id);
    const withAttempts = await Promise.all(notifications.map(async (notification) => ({ notification, attempts: await store.listAttempts(notification.id) })));
    // Audit is newest first; the timeline sorts by time itself.
    const audit = await store.listAudit({ target: `alert:${alert.id}`, limit: MAX_QUERY_LIMIT });
    return { ...alert, timeline: alertTimeline(alert, withAttempts, [...audit].reverse()) };
  });

  /**
   * Unlike the ack link (idempotent: a second tap is answered 410 "used"), the API reports an
   * illegal transition as 409 CONFLICT, so a client learns that someone else got there first.
   */
  const close = (to: 'acknowledged' | 'resolved', action: string) => async (req: FastifyRequest) => {
    const { id } = parseInput(AlertParams, req.params, 'params');
    const body = parseInput(CloseBody, req.body ?? undefined, 'body');
    const alert = await visibleAlert(req, id);
    const actor = actorOf(principalOf(req));
    // The store refuses illegal transitions (e.g. acknowledged → acknowledged) with ALERT_TRANSITION → 409.
    const changed = await store.transitionAlert(alert.id, to, deps.now(), actor);
    await auditApiCall(deps, req, action, `alert:${alert.id}`, { via: 'api', rule: alert.rule, device: alert.device, ...(body?.note ? { note: body.note } : {}) });
    // As after an ack link: the sender looks at its queue now and skips texts for a closed alert.
    deps.wakeSender();
    return changed;
  };
  app.post('/alerts/:id/ack', close('acknowledged', 'alert.acknowledge'));
  app.post('/alerts/:id/resolve', close('resolved', 'alert.resolve'));
}
