// The channel to ChurchTools for the running app: events from the host and emits to it.
// In legacy mode there is no host channel; emits then go nowhere (views show their own messages).
import type { InjectionKey } from 'vue';
import { inject } from 'vue';
import type { ChurchToolsClient } from '@churchtools/churchtools-client';
import type { EventHandler, NotificationPayload } from './contracts.ts';

export interface HostChannel {
  on(event: string, handler: EventHandler): void;
  off(event: string, handler: EventHandler): void;
  emit(event: string, ...data: unknown[]): void;
}

export const noHost: HostChannel = {
  on: () => undefined,
  off: () => undefined,
  emit: () => undefined,
};

export const hostKey: InjectionKey<HostChannel> = Symbol('optigem-sync/host');
export const churchToolsClientKey: InjectionKey<ChurchToolsClient> = Symbol('optigem-sync/churchtools-client');

export function useHost(): HostChannel {
  return inject(hostKey, noHost);
}

/** The app's ChurchTools client (the one created at mount). */
export function useChurchToolsClient(): ChurchToolsClient {
  const client = inject(churchToolsClientKey);
  if (!client) throw new Error('Optigem Sync: no ChurchTools client provided (mount the app with mountSyncApp)');
  return client;
}

/** Asks ChurchTools to show a notification (entry-point mode); a no-op in legacy mode. */
export function notifyHost(host: HostChannel, payload: NotificationPayload): void {
  host.emit('notification:show', payload);
}
