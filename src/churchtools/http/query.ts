/**
 * Query strings for calls where the client takes no params (post/put/patch/deleteApi).
 * Arrays go out PHP-style (`ids[]=1&ids[]=2`), as axios does for GET params and as
 * ChurchTools expects ([I] reference ct-api §1.1: PHP reads `name[]=v` as an array).
 */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

export function withQuery(path: string, query: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(`${key}[]`, String(item));
    } else {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  if (text === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${text}`;
}
