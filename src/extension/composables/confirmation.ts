// Asking before a change: a view calls `ask(...)` and awaits the answer; <OsConfirmDialog>
// bound to `pending` shows the question.
import { shallowRef } from 'vue';

export interface ConfirmRequest {
  readonly title: string;
  /** Says what will change, in words. */
  readonly message: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  /** The admin must type this exactly (e.g. the number of records) before confirming. */
  readonly requireText?: string;
}

export interface PendingConfirmation extends ConfirmRequest {
  resolve(answer: boolean): void;
}

export function useConfirmation() {
  const pending = shallowRef<PendingConfirmation | null>(null);

  function ask(request: ConfirmRequest): Promise<boolean> {
    pending.value?.resolve(false);
    return new Promise((resolve) => {
      pending.value = {
        ...request,
        resolve: (answer) => {
          pending.value = null;
          resolve(answer);
        },
      };
    });
  }

  return { pending, ask };
}
