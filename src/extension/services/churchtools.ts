// The one ChurchTools client instance of the extension.
//
// Created lazily and once per page, with the instance's base URL. Inside ChurchTools the page is
// served by the instance itself, so the user's session cookie goes along (the client uses
// `withCredentials`); the extension never handles passwords or login tokens.
import { ChurchToolsClient } from '@churchtools/churchtools-client';
import { resolveBaseUrl } from './settings.ts';

let instance: ChurchToolsClient | undefined;

/**
 * Returns the shared client, creating it on first use. A base URL given later than the first call
 * is ignored on purpose: every part of the app must talk to the same instance.
 */
export function getChurchToolsClient(baseUrl?: string): ChurchToolsClient {
  instance ??= new ChurchToolsClient(resolveBaseUrl(baseUrl));
  return instance;
}

/** Tests only: forget the shared instance so the next call creates a fresh one. */
export function resetChurchToolsClientForTests(): void {
  instance = undefined;
}
