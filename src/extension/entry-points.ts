// Entry points of ChurchTools' coming extension format (reference/ct-extension.md §1.2): the host
// imports the bundle, asks `loadEntryPoint(name)` for an entry point and runs it with
// `renderExtension(divId, entryPoint, data)`. Each entry point mounts the same app as the legacy
// page does (mount.ts) and returns its cleanup.
import type { ChurchToolsClient } from '@churchtools/churchtools-client';
import type {
  AdminData,
  CleanupFunction,
  CtUser,
  EntryPoint,
  EntryPointName,
  EventHandler,
  ExtensionContext,
  ExtensionInstance,
  MainModuleData,
} from './contracts.ts';
import { EXTENSION_KEY } from './constants.ts';
import { mountSyncApp } from './mount.ts';
import { getChurchToolsClient } from './services/churchtools.ts';
import { userFromPage } from './services/settings.ts';

/** A tiny event bus; one per direction (host → extension, extension → host). */
export class EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>();

  on(event: string, handler: EventHandler): void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
  }

  off(event: string, handler: EventHandler): void {
    this.handlers.get(event)?.delete(handler);
  }

  emit(event: string, ...data: unknown[]): void {
    // Copy first: a handler may unsubscribe itself while we iterate.
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        handler(...data);
      } catch (error) {
        // One failing listener must not stop the others (or the emitter).
        console.error(`[${EXTENSION_KEY}] handler for "${event}" failed`, error);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}

export const main: EntryPoint<MainModuleData> = ({ element, data, user, churchtoolsClient, on, off, emit }) =>
  mountSyncApp(element, {
    entryPoint: 'main',
    user,
    churchtoolsClient,
    // The host owns the page URL here; where to start comes from its data.
    history: 'memory',
    initialRoute: data?.context?.route,
    host: { on, off, emit },
  });

export const admin: EntryPoint<AdminData> = ({ element, user, churchtoolsClient, on, off, emit }) =>
  mountSyncApp(element, {
    entryPoint: 'admin',
    user,
    churchtoolsClient,
    history: 'memory',
    host: { on, off, emit },
  });

/** Which data each of our entry points receives. */
export interface EntryPointDataMap {
  main: MainModuleData;
  admin: AdminData;
}

// Both entry points are in the main bundle (their views that are not the first screen load
// lazily through the router), so "loading" is a lookup.
const entryPoints: { [N in EntryPointName]: EntryPoint<EntryPointDataMap[N]> } = { main, admin };

function isEntryPointName(name: string): name is EntryPointName {
  return Object.hasOwn(entryPoints, name);
}

export function getAvailableEntryPoints(): EntryPointName[] {
  return Object.keys(entryPoints) as EntryPointName[];
}

export function loadEntryPoint<N extends EntryPointName>(name: N): Promise<EntryPoint<EntryPointDataMap[N]>>;
// Any other name rejects; typed for hosts that pass names from the manifest as plain strings.
export function loadEntryPoint(name: string): Promise<EntryPoint<never>>;
export async function loadEntryPoint(name: string): Promise<EntryPoint<never>> {
  if (!isEntryPointName(name)) {
    throw new Error(`[${EXTENSION_KEY}] unknown entry point "${name}" (available: ${getAvailableEntryPoints().join(', ')})`);
  }
  // Widening to EntryPoint<never> is safe: callers get the precise type from the overload above.
  return entryPoints[name] as EntryPoint<never>;
}

/** Not part of the host contract: lets tests and the stand-in inject user and client. */
export interface RenderOptions {
  user?: CtUser;
  churchtoolsClient?: ChurchToolsClient;
}

async function currentUser(client: ChurchToolsClient): Promise<CtUser> {
  const fromPage = userFromPage();
  if (fromPage) return fromPage;
  // Without a session ChurchTools answers /whoami with the anonymous user; this flag makes it 401.
  return client.get<CtUser>('/whoami', { only_allow_authenticated: true });
}

/**
 * Runs an entry point in the element with id `divId`, like the boilerplate's host helper: sets up
 * the two event buses, the client and the user, and returns a handle to talk to and destroy it.
 */
export async function renderExtension<TData>(
  divId: string,
  entryPoint: EntryPoint<TData>,
  data?: TData,
  options: RenderOptions = {},
): Promise<ExtensionInstance> {
  const element = document.getElementById(divId);
  if (!element) throw new Error(`[${EXTENSION_KEY}] no element with id "${divId}"`);

  const churchtoolsClient = options.churchtoolsClient ?? getChurchToolsClient();
  const user = options.user ?? (await currentUser(churchtoolsClient));
  const toExtension = new EventBus();
  const toHost = new EventBus();

  const context: ExtensionContext<TData> = {
    // The host may call without data; entry points treat every data field as optional.
    data: (data ?? {}) as TData,
    on: (event, handler) => toExtension.on(event, handler),
    off: (event, handler) => toExtension.off(event, handler),
    emit: (event, ...args) => toHost.emit(event, ...args),
    element,
    user,
    churchtoolsClient,
    KEY: EXTENSION_KEY,
  };
  const result = await entryPoint(context);
  const cleanup: CleanupFunction | undefined = typeof result === 'function' ? result : undefined;

  let destroyed = false;
  return {
    emit: (event, ...args) => toExtension.emit(event, ...args),
    on: (event, handler) => toHost.on(event, handler),
    off: (event, handler) => toHost.off(event, handler),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await cleanup?.();
      toExtension.clear();
      toHost.clear();
    },
  };
}
