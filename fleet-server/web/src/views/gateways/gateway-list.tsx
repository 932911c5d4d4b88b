// The gateways the signed-in user may see (placeholder: being built).
import type { Me } from '../../api/types.js';

export function GatewayList(_props: { me: Me }) {
  return <h1>Gateways</h1>;
}
