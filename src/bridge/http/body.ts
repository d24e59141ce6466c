/** JSON request bodies and zod issues turned into field problems. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldProblem } from '../../optigem/schemas.ts';
import { ApiError } from '../errors.ts';

export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupportedMediaType', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalidJson', 'The request body is not valid JSON.');
  }
}

export function toFieldProblems(error: z.ZodError): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: base ? `${base}.${key}` : key, message: 'Unknown field.' });
    } else {
      problems.push({ path: base, message: issue.message });
    }
  }
  return problems;
}
