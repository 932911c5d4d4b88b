// The line a cabinet shows after a command: "set-flash: succeeded", "set-flash: failed: <reason>".
import type { Command } from '../api/types.js';

export function commandResultText(name: string, cmd: Pick<Command, 'state' | 'result'>): { text: string; ok: boolean | null } {
  switch (cmd.state) {
    case 'ok':
      return { text: `${name}: succeeded`, ok: true };
    case 'pending':
      return { text: `${name}: sent, waiting for the gateway`, ok: null };
    default: {
      const reason = cmd.result?.reason;
      return { text: `${name}: failed: ${reason ? `${cmd.state} (${reason})` : cmd.state}`, ok: false };
    }
  }
}
