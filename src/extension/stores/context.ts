// Where the app runs: which entry point, for whom, against which instance. Set once at mount;
// the later stores (connections, jobs, …) read the user and base URL from here.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CtUser, EntryPointName } from '../contracts.ts';

export const useContextStore = defineStore('optigem-sync/context', () => {
  const entryPoint = ref<EntryPointName>('main');
  const baseUrl = ref('');
  const user = ref<CtUser | undefined>(undefined);

  function init(values: { entryPoint: EntryPointName; baseUrl: string; user?: CtUser }): void {
    entryPoint.value = values.entryPoint;
    baseUrl.value = values.baseUrl;
    user.value = values.user;
  }

  return { entryPoint, baseUrl, user, init };
});
