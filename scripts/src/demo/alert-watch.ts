import type { ApiClient } from '../cli/fleet-api/api-client.js';

interface AlertRow {
  id: number;
  device: string;
  rule: string;
  state: string;
  severity: string;
  message: string;
  acknowledgedBy: string | null;
}

interface TimelineEntry {
  kind: string;
  step?: number;
  recipient?: string;
  via?: string;
  by?: string;
}

const POLL_MS = 1_000;

/**
 * Prints every alert state change the API shows (raised, notified, acknowledged, resolved) and
 * each escalation step beyond the first, by polling GET /alerts — what a dashboard would do.
 */
export class AlertWatch {
  private readonly states = new Map<number, string>();
  private readonly steps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly print: (line: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling ??= this.poll().catch(() => undefined).finally(() => {
        this.polling = undefined;
      });
    }, POLL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  private async poll(): Promise<void> {
    const { items } = await this.api.get<{ items: AlertRow[] }>('/alerts?limit=50');
    for (const a of [...items].reverse()) {
      const before = this.states.get(a.id);
      if (before !== a.state) {
        this.states.set(a.id, a.state);
        const by = a.state === 'acknowledged' && a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : '';
        this.print(`   alert #${a.id} ${a.state.toUpperCase()}${by}: ${a.device} ${a.rule} (${a.severity}) — ${a.message}`);
      }
      if (a.state === 'notified' || a.state === 'raised') await this.watchEscalation(a);
    }
  }

  private async watchEscalation(a: AlertRow): Promise<void> {
    const { timeline } = await this.api.get<{ timeline: TimelineEntry[] }>(`/alerts/${a.id}`);
    const top = Math.max(0, ...timeline.filter((t) => t.kind === 'notification').map((t) => t.step ?? 0));
    if (top > (this.steps.get(a.id) ?? 1)) {
      this.steps.set(a.id, top);
      this.print(`   alert #${a.id} ESCALATED to step ${top}: nobody acknowledged; texting the next contact`);
    }
  }
}
