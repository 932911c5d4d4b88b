import * as z from 'zod';
import { Duration, Slug } from '@edgefleet/device-profiles';

const Host = z.string().min(1).default('127.0.0.1');
/** 0 picks a free port; the running site reports the one it got. */
const Port = z.int().min(0).max(65535);

export const TcpTransportConfig = z.strictObject({
  id: Slug,
  kind: z.literal('tcp'),
  host: Host,
  port: Port.default(0),
});

export const RtuTransportConfig = z.strictObject({
  id: Slug,
  kind: z.literal('rtu'),
  /** Serial device the sim answers on; omitted → the sim creates a socat PTY pair and prints the master end. */
  path: z.string().min(1).optional(),
  baud: z.int().refine((b) => [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(b), 'must be a standard baud rate (1200…115200)').default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  /** Device think time between the end of a request and the start of its reply (DOMAIN.md: 5–50 ms). */
  turnaround: Duration.default('10ms'),
});

export const TransportConfig = z.discriminatedUnion('kind', [TcpTransportConfig, RtuTransportConfig]);
export type TransportConfig = z.infer<typeof TransportConfig>;

export const SiteDeviceConfig = z.strictObject({
  id: Slug,
  profile: Slug,
  transport: Slug,
  // Modbus over Serial Line v1.02 §2.2: unicast addresses 1..247.
  unit: z.int().min(1).max(247),
  seed: z.int().optional(),
});
export type SiteDeviceConfig = z.infer<typeof SiteDeviceConfig>;

export const SiteConfig = z
  .strictObject({
    name: z.string().min(1),
    /** How often device models advance and refresh their registers. */
    tick: Duration.default('200ms'),
    seed: z.int().default(1),
    control: z.strictObject({ host: Host, port: Port.default(0) }).prefault({}),
    transports: z.array(TransportConfig).min(1),
    devices: z.array(SiteDeviceConfig).min(1),
  })
  .superRefine((site, ctx) => {
    const transportIds = new Set<string>();
    site.transports.forEach((t, i) => {
      if (transportIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['transports', i, 'id'], message: `duplicate transport id "${t.id}"` });
      transportIds.add(t.id);
    });
    const deviceIds = new Set<string>();
    const unitsByTransport = new Map<string, Set<number>>();
    site.devices.forEach((d, i) => {
      if (deviceIds.has(d.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `duplicate device id "${d.id}"` });
      deviceIds.add(d.id);
      if (!transportIds.has(d.transport)) {
        ctx.addIssue({ code: 'custom', path: ['devices', i, 'transport'], message: `unknown transport "${d.transport}" (known: ${[...transportIds].join(', ')})` });
        return;
      }
      const units = unitsByTransport.get(d.transport) ?? new Set<number>();
      if (units.has(d.unit)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'unit'], message: `unit ${d.unit} is already used on transport "${d.transport}"` });
      units.add(d.unit);
      unitsByTransport.set(d.transport, units);
    });
  });
export type SiteConfig = z.infer<typeof SiteConfig>;
