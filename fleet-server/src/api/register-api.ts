import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { bearerAuth } from './api-auth.js';
import { installErrorHandler } from './api-error.js';
import { registerAlertsRoutes } from './alerts-routes.js';
import { registerCommandsRoutes } from './commands-routes.js';
import { registerConfigRoutes } from './config-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerCarParkRoutes } from './car-park-routes.js';
import { registerGatewaysRoutes } from './gateways-routes.js';
import { registerSitesRoutes } from './sites-routes.js';
import { registerTelemetryRoutes } from './telemetry-routes.js';
import { registerUsersRoutes } from './users-routes.js';

/** A route module: registers its routes on the /api/v1 scope (auth already enforced). */
export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => void;

/** Every route module of /api/v1; each lives in its own file (docs/api.md lists them). */
const ROUTE_MODULES: readonly RouteModule[] = [
  registerUsersRoutes,
  registerSitesRoutes,
  registerGatewaysRoutes,
  registerTelemetryRoutes,
  registerCarParkRoutes,
  registerAuditRoutes,
  registerAlertsRoutes,
  registerCommandsRoutes,
  registerConfigRoutes,
];

/** Mounts /api/v1: bearer auth on every route, one error shape, JSON in and out. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(async (api) => {
    installErrorHandler(api);
    api.addHook('onRequest', bearerAuth(deps.store, deps.now));
    for (const register of ROUTE_MODULES) register(api, deps);
  }, { prefix: '/api/v1' });
}
