import Database from 'better-sqlite3';

/** Where one fault's latency went, from the wall-clock times the chain itself recorded (ms). */
export interface LatencyBreakdown {
  /** Register change → the gateway's read that saw it (the event's ts): the wait for the next poll plus the read. */
  toRead: number;
  /** That read → the server stored the alarm event (received_at): edge rule, outbox, MQTT, server ingest queue. */
  toStored: number;
  /** Stored → the SMS queued (notification created_at): alert engine. */
  toQueued: number;
  /** Queued → the provider had the request: the SMS sender. */
  toProvider: number;
}

export interface Injection {
  lift: string;
  rule: string;
  /** Wall-clock ms (epoch) of the register change and of the provider's request. */
  injectedAt: number;
  providerAt: number;
}

interface Row { device_id: string; rule: string; ts: number; received_at: number; created_at: number | null }

/**
 * Reads the server's SQLite file (WAL: a reader beside the running server is fine) and splits
 * each injection's latency at the alarm event the gateway sent and the notification the server
 * queued. The processes share this machine's clock, so their epoch times compare.
 */
export function breakdown(databaseFile: string, gatewayId: string, injections: readonly Injection[]): (LatencyBreakdown | undefined)[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`
      SELECT e.device_id, json_extract(e.payload, '$.rule') AS rule, e.ts, e.received_at,
        (SELECT MIN(n.created_at) FROM alerts a JOIN notifications n ON n.alert_id = a.id
          WHERE a.gateway_id = e.gateway_id AND a.device_id = e.device_id AND a.rule = json_extract(e.payload, '$.rule')
            AND a.raised_at >= e.received_at) AS created_at
      FROM events e
      WHERE e.gateway_id = ? AND e.type = 'alarm' AND json_extract(e.payload, '$.state') = 'raise'`).all(gatewayId) as Row[];
    return injections.map((inj) => {
      const row = rows.filter((r) => r.device_id === inj.lift && r.rule === inj.rule && r.received_at >= inj.injectedAt - 1)
        .sort((a, b) => a.received_at - b.received_at)[0];
      if (!row || row.created_at === null) return undefined;
      return {
        toRead: row.ts - inj.injectedAt,
        toStored: row.received_at - row.ts,
        toQueued: row.created_at - row.received_at,
        toProvider: inj.providerAt - row.created_at,
      };
    });
  } finally {
    db.close();
  }
}
