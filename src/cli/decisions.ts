/**
 * The decision file of `simulate`/`run --decisions FILE`: an admin's answers to possible
 * duplicates, as the Sync module stores them when "Mit diesem verknüpfen" or "Trotzdem anlegen"
 * is pressed. Each names the record (`source` + `id`), the decision, and the `basis` the
 * simulation reported with it (`possibleDuplicates[].basis` in --json), so a decision made on
 * an older state of the data is not followed. The whole file is checked before anything is stored.
 */
import { z } from 'zod';
import type { DuplicateDecision } from '../sync/model.ts';

export const DECISION_FILE_FORMAT = 'optigem-sync/decisions';

const decisionSchema = z
  .strictObject({
    source: z.enum(['optigem', 'churchtools']).meta({ description: 'Where the record to create comes from: optigem for import, churchtools for export' }),
    id: z.string().min(1).meta({ description: 'Its id there (Optigem Nr, ChurchTools person id)' }),
    decision: z.enum(['link', 'create']).meta({ description: 'link: link with `candidate`; create: create it anyway' }),
    candidate: z.string().min(1).optional().meta({ description: 'For link: the id of the candidate in the other system' }),
    basis: z.string().regex(/^[0-9a-f]{8}$/, 'expected the 8 hexadecimal digits the simulation reports as "basis"'),
  })
  .refine((d) => (d.decision === 'link') === (d.candidate !== undefined), {
    message: '"link" needs "candidate" (the id to link with); "create" takes none',
    path: ['candidate'],
  });

export const decisionFileSchema = z.strictObject({
  format: z.literal(DECISION_FILE_FORMAT),
  version: z.literal(1),
  decisions: z.array(decisionSchema).min(1),
});

export interface DecisionFileProblem {
  readonly path: string;
  readonly message: string;
}

export type DecisionFileResult =
  | { readonly ok: true; readonly decisions: readonly DuplicateDecision[] }
  | { readonly ok: false; readonly problems: readonly DecisionFileProblem[] };

/** Validates a parsed decision file; `by` and `at` are stored with each decision. */
export function validateDecisionFile(json: unknown, by: string, at: string): DecisionFileResult {
  const parsed = decisionFileSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: ['$', ...issue.path.map(String)].join('.'), message: issue.message })) };
  }
  const seen = new Set<string>();
  const problems: DecisionFileProblem[] = [];
  parsed.data.decisions.forEach((d, index) => {
    const key = `${d.source}|${d.id}`;
    if (seen.has(key)) problems.push({ path: `$.decisions.${index}`, message: `a second decision for ${d.source} ${d.id}` });
    seen.add(key);
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    decisions: parsed.data.decisions.map((d) => ({
      source: d.source,
      sourceId: d.id,
      kind: d.decision,
      ...(d.candidate !== undefined ? { candidateId: d.candidate } : {}),
      basis: d.basis,
      decidedAt: at,
      decidedBy: by,
    })),
  };
}
