// A signal cabinet (family `signal-cabinet`, semaforo-tsc-8): mode, phase, door, power, lamp
// faults, and for admins and engineers the command buttons behind a confirmation. The
// gateway's answer (POST …/commands?wait=10s) shows in the article's status line.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api/client.js';
import type { Alert, Command, SiteDevice } from '../../api/types.js';
import { commandResultText, type Outcome } from '../../lib/command-result.js';
import { CommandDialog, type CommandRequest } from './command-dialog.js';
import { DeviceCard, deviceTitle } from './device-card.js';
import type { PointFormat } from './point-format.js';

const FLASH: CommandRequest = { command: 'set-flash', title: 'Set flash mode' };
const AUTO: CommandRequest = { command: 'set-auto', title: 'Return to automatic' };
const PREEMPT: CommandRequest = { command: 'preempt-request', title: 'Emergency-vehicle pre-emption', params: { phase: 1, duration: 30 } };

/** What the cabinet's status line shows about its last command (lib/command-result.ts). */
export type CommandOutcome = Outcome;

export function Cabinet({ device, fmt, alerts, canCommand, outcome, setOutcome }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[]; canCommand: boolean; outcome: CommandOutcome | undefined; setOutcome: (o: CommandOutcome) => void }) {
  const [asking, setAsking] = useState<CommandRequest | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (req: CommandRequest): Promise<void> => {
    setAsking(null);
    setBusy(true);
    setOutcome({ id: null, command: req.command, text: `${req.command}: sending…`, ok: null });
    try {
      const body = { device: device.device, command: req.command, ...(req.params ? { params: req.params } : {}) };
      const cmd = await api<Command>(`/gateways/${encodeURIComponent(device.gateway)}/commands?wait=10s`, { method: 'POST', body });
      setOutcome({ id: cmd.id, command: req.command, ...commandResultText(req.command, cmd) });
    } catch (err) {
      const reason = errorText(err);
      setOutcome({ id: null, command: req.command, text: `${req.command}: failed: ${reason}`, ok: false });
    } finally {
      setBusy(false);
    }
  };

  const ask = (req: CommandRequest): void => {
    if (!busy) setAsking(req);
  };

  const lampsRed = fmt.text(device, 'red-lamp-failure');
  const lamps = fmt.text(device, 'lamp-failure');
  const door = fmt.bool(device, 'door-open');
  const mains = fmt.bool(device, 'mains-failure');
  const ups = fmt.bool(device, 'on-ups');
  const conflict = fmt.bool(device, 'conflict-fault');
  const power = mains === true ? 'mains failed' : ups === true ? 'on UPS' : mains === false ? 'mains' : '—';
  const alarm = conflict === true || mains === true || ups === true || (lampsRed !== 'none' && lampsRed !== '—');
  return (
    <DeviceCard device={device} alerts={alerts} alarm={alarm}>
      <dl class="kv">
        <dt>Mode</dt>
        <dd>{fmt.text(device, 'mode')}</dd>
        <dt>Phase</dt>
        <dd>
          {fmt.num(device, 'current-phase') ?? '—'}
          {fmt.num(device, 'phase-time-left') !== null && <span class="muted"> ({fmt.text(device, 'phase-time-left')} left)</span>}
        </dd>
        <dt>Door</dt>
        <dd class={door === true ? 'alarm' : ''}>{door === null ? '—' : door ? 'open' : 'closed'}</dd>
        <dt>Power</dt>
        <dd class={mains === true || ups === true ? 'alarm' : ''}>
          {power}
          {ups === true && ` (battery ${fmt.text(device, 'ups-battery')})`}
        </dd>
        <dt>Red lamps out</dt>
        <dd class={lampsRed !== 'none' && lampsRed !== '—' ? 'alarm' : ''}>{lampsRed}</dd>
        <dt>Other lamps out</dt>
        <dd class={lamps !== 'none' && lamps !== '—' ? 'alarm' : ''}>{lamps}</dd>
        {conflict === true && (
          <>
            <dt>Conflict monitor</dt>
            <dd class="alarm">tripped</dd>
          </>
        )}
      </dl>
      {canCommand && (
        <div class="actions">
          {/* aria-disabled, not disabled, while a command is on its way: the button keeps focus
              when the dialog hands it back. */}
          <button type="button" aria-disabled={busy} onClick={() => ask(FLASH)}>
            Flash mode
          </button>
          <button type="button" aria-disabled={busy} onClick={() => ask(AUTO)}>
            Automatic
          </button>
          <button type="button" aria-disabled={busy} onClick={() => ask(PREEMPT)}>
            Pre-emption…
          </button>
        </div>
      )}
      <p role="status" class={`cmd-result${outcome?.ok === true ? ' ok' : outcome?.ok === false ? ' failed' : ''}`}>
        {outcome?.text ?? ''}
      </p>
      {asking !== null && <CommandDialog request={asking} deviceName={deviceTitle(device)} onSend={(r) => void send(r)} onCancel={() => setAsking(null)} />}
    </DeviceCard>
  );
}
