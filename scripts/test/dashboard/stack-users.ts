import { randomBytes } from 'node:crypto';
import { DEMO_SITE } from '../../src/demo/demo-setup.js';
import { apiCall } from './api-call.js';
import { OTHER_SITE } from './stack-config.js';

export interface StackUser {
  id: string;
  name: string;
  password: string;
  /** A long-lived API token of the user, for the "sign in with a token" path. */
  token: string;
}

export interface StackUsers {
  engineer: StackUser;
  /** Manager of the demo site. */
  manager: StackUser;
  /** Manager of the other site only. */
  otherManager: StackUser;
}

const USERS = {
  engineer: { id: 'eve', name: 'Eve Engineer', role: 'engineer', sites: [] as string[] },
  manager: { id: 'mia', name: 'Mia Manager', role: 'manager', sites: [DEMO_SITE.id] },
  otherManager: { id: 'otto', name: 'Otto Other', role: 'manager', sites: [OTHER_SITE.id] },
} as const;

/** Creates the users through the API as an admin would: the user, a password, a token. */
export async function createStackUsers(api: string, adminToken: string): Promise<StackUsers> {
  const made = {} as Record<keyof StackUsers, StackUser>;
  for (const [key, u] of Object.entries(USERS) as [keyof StackUsers, (typeof USERS)[keyof StackUsers]][]) {
    await apiCall(api, adminToken, 'POST', '/api/v1/users', { id: u.id, name: u.name, role: u.role, sites: u.sites });
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    await apiCall(api, adminToken, 'PUT', `/api/v1/users/${u.id}/password`, { password });
    const { token } = await apiCall<{ token: string }>(api, adminToken, 'POST', `/api/v1/users/${u.id}/tokens`, { label: 'browser test' });
    made[key] = { id: u.id, name: u.name, password, token };
  }
  return made;
}
