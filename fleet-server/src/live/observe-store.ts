import type { StoredCommand } from '../store/store-api-types.js';
import type { Alert, Notification } from '../store/store-types.js';
import type { Store } from '../store/store.js';
import type { LiveEvent } from './live-event.js';
import type { LiveHub } from './live-hub.js';

/** What an `alert` event says happened (docs/api.md "Live events"). */
export type AlertChange = 'raised' | 'notified' | 'acknowledged' | 'resolved' | 'notification' | 'attempt';

/**
 * Makes the store itself report alert and command changes to the live hub, by wrapping its
 * changing methods once on the instance main.ts hands to everyone. Alerts change in many places
 * — the engine (raise, clear, escalate), the API (ack, resolve), the ack link, SMS replies, the
 * SMS sender's attempts — and commands in the API and the result tracker; one observation point
 * cannot miss a new caller, where an emit in each caller would. Each event goes out after the
 * store call succeeded, in the order of the calls, and only while someone is watching or may
 * come back to resume (LiveHub.publishLater; the site lookups cost nothing otherwise). Token
 * revocations and user deletions end the affected streams at once; the heartbeat's re-check
 * covers expiry and changes made by another instance.
 */
export function observeStoreChanges(store: Store, hub: LiveHub): void {
  const emit = (make: () => Promise<LiveEvent | undefined>): void => hub.publishLater(async () => {
    const event = await make();
    return event ? [event] : [];
  });
  const siteOf = async (gatewayId: string): Promise<string | undefined> => (await store.getGateway(gatewayId))?.site;
  const alertEvent = (change: AlertChange, known: Alert | number) => async (): Promise<LiveEvent | undefined> => {
    const alert = typeof known === 'number' ? await store.getAlert(known) : known;
    const site = alert && (await siteOf(alert.gateway));
    return alert && site !== undefined ? { name: 'alert', site, audience: 'any', data: { change, site, alert } } : undefined;
  };
  const commandEvent = (command: StoredCommand) => async (): Promise<LiveEvent | undefined> => {
    const site = await siteOf(command.gateway);
    return site === undefined ? undefined : { name: 'command', site, audience: 'operators', data: { site, command } };
  };

  const {
    openAlert, transitionAlert, enqueueNotification, recordAttempt, insertCommand, completeCommand, markUnansweredCommands, revokeToken, deleteUser,
  } = store;
  store.openAlert = async (...args) => {
    const result = await openAlert.apply(store, args);
    if (result.created) emit(alertEvent('raised', result.alert));
    return result;
  };
  store.transitionAlert = async (...args) => {
    const alert = await transitionAlert.apply(store, args);
    emit(alertEvent(args[1] as AlertChange, alert));
    return alert;
  };
  // A text queued or a send attempt changes the alert's timeline (texts without an alert do not).
  const onNotification = (change: AlertChange, notification: Notification): Notification => {
    if (notification.alertId !== null) emit(alertEvent(change, notification.alertId));
    return notification;
  };
  store.enqueueNotification = async (...args) => onNotification('notification', await enqueueNotification.apply(store, args));
  store.recordAttempt = async (...args) => onNotification('attempt', await recordAttempt.apply(store, args));
  store.insertCommand = async (...args) => {
    const command = await insertCommand.apply(store, args);
    emit(commandEvent(command));
    return command;
  };
  store.completeCommand = async (...args) => {
    const command = await completeCommand.apply(store, args);
    // The store answers a repeated result with the command as first completed: nothing changed then.
    const [result, at] = args;
    if (command && command.completedAt === at && command.result?.seq === result.seq) emit(commandEvent(command));
    return command;
  };
  store.markUnansweredCommands = async (...args) => {
    const commands = await markUnansweredCommands.apply(store, args);
    for (const command of commands) emit(commandEvent(command));
    return commands;
  };
  store.revokeToken = async (...args) => {
    await revokeToken.apply(store, args);
    hub.end((v) => v.tokenId === args[0], 'token revoked');
  };
  store.deleteUser = async (...args) => {
    await deleteUser.apply(store, args);
    hub.end((v) => v.userId === args[0], 'user deleted');
  };
}
