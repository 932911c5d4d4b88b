// The confirmation every cabinet command goes through: a modal <dialog> "Confirm command"
// with Send and Cancel; pre-emption asks for its phase and hold time here. Keyboard: focus
// starts on the Phase field, or on Cancel (the safe choice) when there is nothing to fill in;
// Escape cancels (the dialog's cancel event); on closing, focus goes back to the button that
// opened it.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface CommandRequest {
  command: string;
  title: string;
  params?: { phase: number; duration: number };
}

export function CommandDialog({ request, deviceName, onSend, onCancel }: { request: CommandRequest; deviceName: string; onSend: (r: CommandRequest) => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [phase, setPhase] = useState(request.params?.phase ?? 1);
  const [duration, setDuration] = useState(request.params?.duration ?? 30);
  const titleId = `confirm-${request.command}`;

  // A layout effect: Preact 11 runs useEffect cleanups of an unmounted component only after
  // paint, by which time the still-open <dialog> has been removed and focus has fallen to <body>.
  // Its cleanup runs in the commit that removes the dialog, so focus goes straight back.
  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
    (firstField.current ?? cancelButton.current)?.focus();
    return () => {
      d?.close();
      if (opener?.isConnected === true) opener.focus();
    };
  }, []);

  const submit = (e: Event): void => {
    e.preventDefault();
    onSend(request.params === undefined ? request : { ...request, params: { phase, duration } });
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onCancel}>
      <form onSubmit={submit}>
        <h2 id={titleId}>Confirm command</h2>
        <p>
          {request.title} on <strong>{deviceName}</strong>?
        </p>
        {request.params !== undefined && (
          <>
            <label>
              Phase
              <input ref={firstField} type="number" min={1} max={8} step={1} required value={phase} onInput={(e) => setPhase(e.currentTarget.valueAsNumber)} />
            </label>
            <label>
              Hold time (s)
              <input type="number" min={5} max={120} step={1} required value={duration} onInput={(e) => setDuration(e.currentTarget.valueAsNumber)} />
            </label>
          </>
        )}
        <div class="actions">
          <button type="submit" class="primary">
            Send
          </button>
          <button ref={cancelButton} type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
