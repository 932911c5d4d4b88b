// Past alerts (placeholder: being built).
import type { Me } from '../../api/types.js';

export function AlertHistory(_props: { me: Me }) {
  return <h1>Alert history</h1>;
}
