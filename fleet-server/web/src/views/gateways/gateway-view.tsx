// One gateway (placeholder: being built).
import type { Me } from '../../api/types.js';

export function GatewayView({ gateway }: { gateway: string; me: Me }) {
  return <h1>Gateway {gateway}</h1>;
}
