import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { E164 } from '../store/store-rows.js';
import { isTimeZone } from '../time/zoned-day.js';
import { principalOf, requireRole, siteScope } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { visibleSite } from './api-lookup.js';
import { ApiId } from './api-schemas.js';

const SiteBody = z.strictObject({
  id: ApiId,
  name: z.string().trim().min(1).max(200),
  // Quiet hours and escalation run in the site's local time, so a typo must not fall back to UTC.
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
});

const ContactBody = z.strictObject({
  // Contact ids are global in the store (a clash would move a contact between sites).
  id: ApiId,
  name: z.string().trim().min(1).max(200),
  phone: z.string().regex(E164, 'must be an E.164 number such as +4915112345678 (+, country code, no spaces)'),
  role: z.string().trim().min(1).max(100).default('technician'),
  escalationOrder: z.int().min(1).max(100).default(1),
});

const SiteParams = z.strictObject({ id: ApiId });

/** /sites and /sites/:id/contacts. Reads: any role within its sites; writes: admin or engineer. */
export function registerSitesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  app.get('/sites', async (req) => {
    const scope = siteScope(principalOf(req));
    const sites = await store.listSites();
    return { items: scope ? sites.filter((s) => scope.includes(s.id)) : sites };
  });

  app.post('/sites', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const site = parseInput(SiteBody, req.body, 'body');
    if (await store.getSite(site.id)) throw new ApiError('CONFLICT', `site ${site.id} already exists`);
    await store.upsertSite(site);
    await auditApiCall(deps, req, 'site.create', `site:${site.id}`, { name: site.name, timezone: site.timezone });
    return reply.code(201).send(site);
  });

  app.get('/sites/:id', async (req) => visibleSite(req, store, parseInput(SiteParams, req.params, 'params').id));

  app.get('/sites/:id/contacts', async (req) => {
    const site = await visibleSite(req, store, parseInput(SiteParams, req.params, 'params').id);
    return { items: await store.listContacts(site.id) };
  });

  app.post('/sites/:id/contacts', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const site = await visibleSite(req, store, parseInput(SiteParams, req.params, 'params').id);
    const body = parseInput(ContactBody, req.body, 'body');
    const existing = await store.getContact(body.id);
    if (existing) throw new ApiError('CONFLICT', `contact ${body.id} already exists${existing.site === site.id ? '' : ' (on another site)'}`);
    const contact = { ...body, site: site.id };
    await store.upsertContact(contact);
    // The phone number stays out of the audit log: it is personal data the log keeps for years.
    await auditApiCall(deps, req, 'contact.create', `contact:${contact.id}`, { site: site.id, name: contact.name, escalationOrder: contact.escalationOrder });
    return reply.code(201).send(contact);
  });
}
