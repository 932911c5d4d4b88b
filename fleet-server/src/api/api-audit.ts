import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../store/store-types.js';
import { actorOf, principalOf } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';

/**
 * Writes the audit entry of a mutating API call with the caller as actor. Called after the
 * change succeeded, so the log holds what happened, not what was attempted. Details never carry
 * secrets (token text, gateway secrets).
 */
export function auditApiCall(
  deps: Pick<ApiDeps, 'store' | 'now'>,
  req: FastifyRequest,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): Promise<AuditEntry> {
  return deps.store.appendAudit({ at: deps.now(), actor: actorOf(principalOf(req)), action, target, details });
}
