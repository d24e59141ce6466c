// The admin's pace for this tab's ChurchTools requests: what is stored, the last refusal, and
// handing a new pace to the backend's pacer so that the next run already uses it.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { checkPace, loadPace, storePace, type PaceProblem } from '../services/pace.ts';
import { useBackendStore } from './backend.ts';

export const usePaceStore = defineStore('optigem-sync/pace', () => {
  const backend = useBackendStore();
  const requestsPerMinute = ref(loadPace());
  const problem = ref<PaceProblem | null>(null);
  const saved = ref(false);

  /** Validates and applies `input`; a refused value changes nothing. */
  function save(input: unknown): boolean {
    saved.value = false;
    const check = checkPace(input);
    if (!check.ok) {
      problem.value = check.problem;
      return false;
    }
    problem.value = null;
    storePace(check.value);
    requestsPerMinute.value = check.value;
    backend.get().setPace?.(check.value);
    saved.value = true;
    return true;
  }

  return { requestsPerMinute, problem, saved, save };
});
