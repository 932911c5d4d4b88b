import type { FastifyRequest } from 'fastify';
import type { Gateway, Site } from '../store/store-types.js';
import type { Store } from '../store/store.js';
import { canSeeSite, principalOf } from './api-auth.js';
import { ApiError } from './api-error.js';

/**
 * Loads of single resources under the caller's site scope. A resource of a site the caller may
 * not see answers exactly like a missing one (same code, same message), so a manager cannot
 * tell "exists elsewhere" from "does not exist".
 */

export async function visibleSite(req: FastifyRequest, store: Pick<Store, 'getSite'>, id: string): Promise<Site> {
  const site = canSeeSite(principalOf(req), id) ? await store.getSite(id) : undefined;
  if (!site) throw new ApiError('NOT_FOUND', `site ${id} not found`);
  return site;
}

export async function visibleGateway(req: FastifyRequest, store: Pick<Store, 'getGateway'>, id: string): Promise<Gateway> {
  const gateway = await store.getGateway(id);
  if (!gateway || !canSeeSite(principalOf(req), gateway.site)) throw new ApiError('NOT_FOUND', `gateway ${id} not found`);
  return gateway;
}

/** A gateway as the API shows it: never the secret hash. */
export function gatewayView(gateway: Gateway): Omit<Gateway, 'secretHash'> {
  const { secretHash: _secretHash, ...view } = gateway;
  return view;
}
