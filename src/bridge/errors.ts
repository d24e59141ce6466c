/** Failures the API reports to its caller, with the HTTP status and a stable code. */
import type { ErrorCode, FieldProblem } from '../optigem/schemas.ts';

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 428 | 500,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function notFound(what: string): ApiError {
  return new ApiError(404, 'notFound', `${what} does not exist.`);
}

export function invalid(fields: FieldProblem[]): ApiError {
  return new ApiError(400, 'validation', 'The request is not valid; see "fields".', fields);
}
