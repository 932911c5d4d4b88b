import { randomBytes } from 'node:crypto';
import { ApiClient } from '../cli/fleet-api/api-client.js';

/** The demo's dashboard user: an engineer, so the cabinet's command buttons are there to try. */
export const DASHBOARD_USER = { id: 'operator', name: 'Demo operator', role: 'engineer' } as const;

export interface DashboardLogin {
  url: string;
  user: string;
  password: string;
}

/**
 * Creates the dashboard user through the API (POST /users with a password, as an admin would)
 * with a fresh random password, so the printed sign-in works for this run only.
 */
export async function createDashboardUser(api: string, adminToken: string): Promise<DashboardLogin> {
  const password = randomBytes(12).toString('base64url');
  await new ApiClient(api, adminToken).post('/users', { ...DASHBOARD_USER, password });
  return { url: `${api}/`, user: DASHBOARD_USER.id, password };
}

/** The line next to the demo's API address. */
export function dashboardLine(login: DashboardLogin): string {
  return `  dashboard          ${login.url}   (user ${login.user}, password ${login.password})`;
}
