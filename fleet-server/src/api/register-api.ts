import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { registerEnrollRoute, registerProvisionRoutes } from './enrollment-routes.js';
import { bearerAuth } from './api-auth.js';
import { installErrorHandler } from './api-error.js';
import { registerAlertsRoutes } from './alerts-routes.js';
import { registerCommandsRoutes } from './commands-routes.js';
import { registerConfigRoutes } from './config-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerCarParkRoutes } from './car-park-routes.js';
import { registerGatewaysRoutes } from './gateways-routes.js';
import { registerOverviewRoutes } from './overview-routes.js';
import { registerProfilesRoutes } from './profiles-routes.js';
import { registerSiteDevicesRoutes } from './site-devices-routes.js';
import { registerSitesRoutes } from './sites-routes.js';
import { registerTelemetryRoutes } from './telemetry-routes.js';
import { registerUsersRoutes } from './users-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerEventsRoutes } from './events-routes.js';

/** A route module: registers its routes on the /api/v1 scope (auth already enforced). */
export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => void;

/** Every route module of /api/v1; each lives in its own file (docs/api.md lists them). */
const ROUTE_MODULES: readonly RouteModule[] = [
  registerUsersRoutes,
  registerSessionRoutes,
  registerEventsRoutes,
  registerSitesRoutes,
  registerGatewaysRoutes,
  registerTelemetryRoutes,
  registerCarParkRoutes,
  registerAuditRoutes,
  registerAlertsRoutes,
  registerCommandsRoutes,
  registerConfigRoutes,
  registerSiteDevicesRoutes,
  registerOverviewRoutes,
  registerProfilesRoutes,
];

/** Mounts /api/v1: bearer auth on every route but POST /enroll, one error shape, JSON in and out. */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(async (api) => {
    installErrorHandler(api);
    const auth = bearerAuth(deps.store, deps.now);
    // Routes marked public (POST /enroll: the box holds only its one-time enrollment token) skip
    // the bearer check; unknown routes do not, so routes cannot be probed without a token.
    api.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.config.public !== true) await auth(req, reply);
    });
    for (const register of ROUTE_MODULES) register(api, deps);
    registerProvisionRoutes(api, deps);
    registerEnrollRoute(api, deps);
  }, { prefix: '/api/v1' });
}
