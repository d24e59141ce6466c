// Whether the view the user navigated to could not be loaded. Views other than the first screen
// are lazy chunks (router/index.ts); when one cannot be fetched, the navigation ends with an
// error and the layout says what to do instead of showing nothing.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useViewLoadingStore = defineStore('optigem-sync/view-loading', () => {
  /** The technical text of the last failed navigation; undefined after a successful one. */
  const failure = ref<string | undefined>(undefined);

  function failed(error: unknown): void {
    failure.value = error instanceof Error ? error.message : String(error);
  }

  function succeeded(): void {
    failure.value = undefined;
  }

  return { failure, failed, succeeded };
});
