import type { Palette } from '../colour.js';
import { formatTable } from '../profile/format-table.js';
import type { ScannedUnit } from './scan-bus.js';

export interface ScanReport {
  bus: Record<string, unknown>;
  units: ScannedUnit[];
  garbled: number[];
  timing: Record<string, number | undefined>;
}

/** `fleet scan` as a table: one row per unit that answered, coloured by how sure the match is. */
export function formatScan(report: ScanReport, palette: Palette): string {
  const rows = report.units.map((u) => [
    String(u.unit),
    u.identity.vendorName ?? '-',
    u.identity.productCode ?? '-',
    u.identity.revision || '-',
    u.match?.profile ?? (u.candidates[0] ? `? ${u.candidates[0].profile}` : '-'),
    u.match ? `${Math.round(u.match.confidence * 100)}%` : u.candidates[0] ? `${Math.round(u.candidates[0].confidence * 100)}%` : '-',
    u.fc43 === 'identified' ? 'fc43' + (u.match?.evidence.some((e) => e.source === 'signature' && e.ok) ? '+signature' : '') : u.match ? 'signature' : `fc43 ${u.fc43}`,
  ]);
  const table = formatTable(['unit', 'vendor', 'product', 'revision', 'profile', 'confidence', 'by'], rows).trimEnd().split('\n');
  const coloured = table.map((line, i) => {
    const unit = report.units[i - 1];
    if (i === 0 || !unit) return line;
    return unit.match ? (unit.match.confidence >= 0.9 ? palette.green(line) : palette.yellow(line)) : palette.red(line);
  });
  const bus = String(report.bus.port ?? report.bus.host);
  const settings = report.bus.kind === 'rtu' ? ` at ${String(report.bus.baud)} ${String(report.bus.parity)}` : '';
  const summary = `${report.units.length} unit(s) on ${bus}${settings}; ${report.timing.probes} ids probed in ${((report.timing.elapsedMs ?? 0) / 1000).toFixed(1)} s (timeout ${report.timing.probeTimeoutMs} ms)`;
  const garbled = report.garbled.length > 0 ? [palette.yellow(`noise (bad CRC or framing) after probing ids ${report.garbled.join(', ')}: wrong baud/parity, or two devices on one id?`)] : [];
  return [report.units.length > 0 ? coloured.join('\n') : '', palette.dim(summary), ...garbled].filter((l) => l !== '').join('\n') + '\n';
}
