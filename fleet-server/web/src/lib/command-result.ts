// The line a cabinet shows after a command: "set-flash: succeeded", "set-flash: failed: <reason>".
import type { Command } from '../api/types.js';

// 'unanswered' is the server's verdict, not the gateway's: a late result still replaces it.
export function commandResultText(name: string, cmd: Pick<Command, 'state' | 'result'>): { text: string; ok: boolean | null; provisional?: true } {
  switch (cmd.state) {
    case 'ok':
      return { text: `${name}: succeeded`, ok: true };
    case 'pending':
      return { text: `${name}: sent, waiting for the gateway`, ok: null };
    case 'unanswered':
      return { text: `${name}: no answer from the gateway before the command expired (is it offline?)`, ok: false, provisional: true };
    default: {
      const reason = cmd.result?.reason;
      return { text: `${name}: failed: ${reason ? `${cmd.state} (${reason})` : cmd.state}`, ok: false };
    }
  }
}

/** What a cabinet shows about its last command (the id once the server answered the POST). */
export interface Outcome {
  id: string | null;
  command: string;
  text: string;
  ok: boolean | null;
  /** The server's 'unanswered': the gateway's own result may still come and replace it. */
  provisional?: true;
}

/**
 * The last few finished commands seen on the stream. A command's result event can arrive before
 * the POST's own answer (one still `pending` when the result came just after the wait ended):
 * kept here, it still turns "waiting for the gateway" into the result.
 */
export class FinishedCommands {
  private readonly byId = new Map<string, Pick<Command, 'state' | 'result'>>();

  constructor(private readonly max = 50) {}

  add(cmd: Command): void {
    if (cmd.state === 'pending') return;
    this.byId.delete(cmd.id);
    this.byId.set(cmd.id, cmd);
    if (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value as string);
  }

  /** The outcome with the command's result applied if it is known (and the outcome still waits for one). */
  settle<O extends Outcome>(o: O): O {
    const done = o.id === null || (o.ok !== null && o.provisional !== true) ? undefined : this.byId.get(o.id);
    if (done === undefined) return o;
    const { provisional: _old, ...rest } = o;
    return { ...rest, ...commandResultText(o.command, done) } as O;
  }
}
