/**
 * Reads a paged ChurchTools list completely or says what is missing. Page 1 tells the number of
 * pages (`meta.pagination.lastPage`); later pages go out a few at a time (the per-request overhead
 * in ChurchTools is large, reference ct-api §1.1). A failed page never throws: it becomes a
 * problem and the read is marked incomplete, so nobody mistakes a gap for "record deleted".
 */
import type { z } from 'zod';
import type { ReadProblem } from '../../sync/ports.ts';
import { readConsistency } from '../../sync/read-check.ts';
import type { CtHttp, PageMeta } from './ct-http.ts';
import { CtHttpError } from './errors.ts';
import type { QueryParams } from './query.ts';

export interface PagedReadOptions {
  /** Page size to ask for first. */
  readonly limit: number;
  /** Page size to fall back to when the server refuses `limit` ("Die Nummer kann maximal … sein"). */
  readonly fallbackLimit?: number;
  /** Pages fetched at once after the first. Default 3. */
  readonly concurrency?: number;
  /** Names the list in problems, e.g. "/persons (archived)". */
  readonly label?: string;
}

export interface CheckedReadOptions<T> extends PagedReadOptions {
  /**
   * The id of an item. With it, a read whose pages all answered is complete only when every id
   * came once and their number equals `meta.pagination.total`: a list that changed between pages,
   * or a page that came back short, would otherwise look like "records deleted".
   */
  readonly idOf?: (item: T) => string;
}

export interface PagedReadResult<T> {
  readonly items: T[];
  readonly complete: boolean;
  readonly problems: ReadProblem[];
  /** Page size that worked; callers remember it to skip the refused size next time. */
  readonly limit: number;
  /** `meta.pagination.total` of the first page, when given. */
  readonly total: number | null;
}

/**
 * True for ChurchTools' answer to a too-large `limit` (CT ≥ 3.100, reference ct-api §0.3).
 * [I] The status is probably 400; we also accept a 422 and match the message or its key.
 */
export function isLimitTooLarge(error: unknown): boolean {
  if (!(error instanceof CtHttpError) || (error.status !== 400 && error.status !== 422)) return false;
  const texts = [
    error.envelope?.message,
    error.envelope?.translatedMessage,
    error.envelope?.messageKey,
    ...(error.envelope?.errors ?? []).flatMap((e) => (typeof e === 'string' ? [e] : [e.message, e.messageKey, e.translatedMessage])),
  ];
  if ((error.envelope?.errors ?? []).some((e) => typeof e !== 'string' && e.fieldId === 'limit')) return true;
  return texts.some((t) => t !== undefined && /maximal|maximum/i.test(t));
}

export async function readAllPages<S extends z.ZodType>(
  http: CtHttp,
  path: string,
  itemSchema: S,
  params: QueryParams,
  options: CheckedReadOptions<z.output<S>>,
): Promise<PagedReadResult<z.output<S>>> {
  const label = options.label ?? path;
  const problems: ReadProblem[] = [];
  let limit = options.limit;
  let first: { items: z.output<S>[]; meta: PageMeta };
  try {
    first = await http.getPage(path, itemSchema, { ...params, page: 1, limit });
  } catch (error) {
    if (options.fallbackLimit !== undefined && options.fallbackLimit < limit && isLimitTooLarge(error)) {
      limit = options.fallbackLimit;
      try {
        first = await http.getPage(path, itemSchema, { ...params, page: 1, limit });
      } catch (again) {
        return failedFirstPage(label, again, limit);
      }
    } else {
      return failedFirstPage(label, error, limit);
    }
  }

  const lastPage = first.meta.pagination?.lastPage ?? 1;
  const total = first.meta.pagination?.total ?? null;
  const pages: z.output<S>[][] = [first.items];
  const rest: number[] = [];
  for (let p = 2; p <= lastPage; p++) rest.push(p);

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rest.length) {
      const page = rest[next++]!;
      try {
        const result = await http.getPage(path, itemSchema, { ...params, page, limit });
        pages[page - 1] = result.items;
      } catch (error) {
        problems.push({ what: `page ${page} of ${label}`, message: messageOf(error) });
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(options.concurrency ?? 3, rest.length); i++) workers.push(worker());
  await Promise.all(workers);

  const items = pages.flatMap((page) => page ?? []);
  const idOf = options.idOf;
  if (idOf && problems.length === 0) {
    const inconsistent = readConsistency(label, items.map(idOf), total);
    if (inconsistent) problems.push(inconsistent);
  }
  return { items, complete: problems.length === 0, problems, limit, total };
}

function failedFirstPage<T>(label: string, error: unknown, limit: number): PagedReadResult<T> {
  return {
    items: [],
    complete: false,
    problems: [{ what: `page 1 of ${label}`, message: messageOf(error) }],
    limit,
    total: null,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof CtHttpError) return error.status === null ? error.message : `${error.status}: ${error.detail}`;
  return error instanceof Error ? error.message : String(error);
}
