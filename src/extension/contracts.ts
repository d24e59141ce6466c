// The few contract types of ChurchTools' coming extension format (manifest + entry points).
//
// Declared here because `@churchtools/extension-points` is not on npm (GitHub only, v0.0.1) and
// the boilerplate's runtime types live in its `entry-points` branch. Shapes follow
// reference/ct-extension.md §1.2/§1.3; keep them structurally compatible with those so the
// bundle can be handed to the ChurchTools host once it loads entry points.
import type { ChurchToolsClient } from '@churchtools/churchtools-client';

/** The logged-in person as `GET /whoami` returns it; only the fields the shell reads are typed. */
export interface CtUser {
  id: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  /** Not documented; read defensively when present (see services/settings.ts). */
  language?: string;
  [field: string]: unknown;
}

// Event payloads are whatever the extension point defines; handlers narrow them themselves.
export type EventHandler = (...args: unknown[]) => void;

/** `notification:show`, the one event `main` and `admin` may emit to ChurchTools. */
export interface NotificationPayload {
  message: string;
  type?: 'info' | 'success' | 'warning' | 'error';
  duration?: number;
}

/** Data ChurchTools passes to the `main` extension point (its own menu module). */
export interface MainModuleData {
  userId?: number;
  context?: { params?: Record<string, string>; route?: string };
}

/** Data ChurchTools passes to the `admin` extension point (Admin → Extensions → settings). */
export interface AdminData {
  extensionInfo?: {
    name: string;
    version: string;
    key: string;
    description?: string;
    author?: { name: string; email?: string };
  };
  adminUser?: { userId: number; name: string; permissions: string[] };
}

/** What an entry point receives. */
export interface ExtensionContext<TData = unknown> {
  data: TData;
  /** Subscribe to events ChurchTools sends to the extension. */
  on(event: string, handler: EventHandler): void;
  off(event: string, handler: EventHandler): void;
  /** Send an event to ChurchTools (e.g. `notification:show`). */
  emit(event: string, ...data: unknown[]): void;
  element: HTMLElement;
  user: CtUser;
  churchtoolsClient: ChurchToolsClient;
  KEY?: string;
}

export type CleanupFunction = () => void | Promise<void>;

export type EntryPoint<TData = unknown> = (
  context: ExtensionContext<TData>,
) => void | CleanupFunction | Promise<void | CleanupFunction>;

/** What `renderExtension` hands back to the host. */
export interface ExtensionInstance {
  /** Host → extension. */
  emit(event: string, ...data: unknown[]): void;
  /** Listen to extension → host events. */
  on(event: string, handler: EventHandler): void;
  off(event: string, handler: EventHandler): void;
  destroy(): Promise<void>;
}

/** The entry point names this extension declares in manifest.json. */
export type EntryPointName = 'main' | 'admin';
