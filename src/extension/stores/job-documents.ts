// Job documents (src/runner/job-document.ts) from the UI: export one connection with its jobs as
// JSON (the token only by reference), check a file and say what importing it would change, import.
import { defineStore } from 'pinia';
import { exportDocument, importDocument, validateDocumentText, type DocumentProblem, type ImportResult, type JobDocument } from '../../runner/job-document.ts';
import { useBackendStore } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useJobsStore } from './jobs.ts';

export const JOB_DOCUMENT_FILE_NAME = 'optigem-sync-jobs.json';

/** What importing a valid document would do, for the confirmation. */
export interface ImportPlan {
  readonly document: JobDocument;
  readonly connection: { readonly name: string; readonly change: 'created' | 'updated' };
  readonly createdJobs: readonly string[];
  readonly updatedJobs: readonly string[];
  /** The file carries the token itself; the UI never stores it. */
  readonly inlineToken: boolean;
}

export type DocumentCheck = { readonly ok: true; readonly plan: ImportPlan } | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

const folded = (name: string) => name.trim().toLowerCase();

export const useJobDocumentsStore = defineStore('optigem-sync/job-documents', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const jobs = useJobsStore();

  /** The document as file text; the token is always a reference (`{"stored": true}`), never the token. */
  async function exportText(connectionId?: string): Promise<{ text: string; warnings: readonly string[] }> {
    const { document, warnings } = await exportDocument(backend.get().storage, {
      ...(connectionId ? { connection: connectionId } : {}),
      token: { kind: 'stored' },
    });
    return { text: `${JSON.stringify(document, null, 2)}\n`, warnings };
  }

  /** Validates the file text; when valid, finds what it would create and update (as the import matches). */
  async function check(text: string): Promise<DocumentCheck> {
    const validation = validateDocumentText(text);
    if (!validation.ok) return validation;
    const { document } = validation;
    await Promise.all([connections.load(true), jobs.load(true)]);
    const doc = document.connection;
    const existing =
      doc.id !== undefined ? connections.byId(doc.id)?.data : connections.list.find((c) => folded(c.name) === folded(doc.name));
    const connectionId = doc.id ?? existing?.id;
    const storedJobs = connectionId ? jobs.forConnection(connectionId) : [];
    const createdJobs: string[] = [];
    const updatedJobs: string[] = [];
    for (const job of document.jobs) {
      const match = job.id !== undefined ? jobs.byId(job.id) : storedJobs.find((j) => folded(j.name) === folded(job.name));
      (match ? updatedJobs : createdJobs).push(job.name);
    }
    return {
      ok: true,
      plan: {
        document,
        connection: { name: doc.name, change: existing ? 'updated' : 'created' },
        createdJobs,
        updatedJobs,
        inlineToken: 'value' in doc.token,
      },
    };
  }

  /** Imports (the library checks again against storage first) and reloads connections and jobs. */
  async function importPlan(plan: ImportPlan): Promise<ImportResult> {
    const result = await importDocument(backend.get().storage, plan.document, { writeToken: false });
    if (result.ok) await Promise.all([connections.load(true), jobs.load(true)]);
    return result;
  }

  return { exportText, check, importPlan };
});
