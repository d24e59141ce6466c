/**
 * JSON text that remembers the type of the value it encodes. A list page is serialised while its
 * records are built: each record's content becomes text once, and that one text is both what
 * its hash (ETag, change tracking) covers and what the answer carries. Serialising the page a
 * second time from objects cost as much as the hashing did.
 */
declare const encodes: unique symbol;

export type JsonText<T> = string & { readonly [encodes]: T };

export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}

/**
 * One object's text from the texts of objects with disjoint keys: `{"a":1}` and `{"b":2}` give
 * `{"a":1,"b":2}`. The types name the keys, so a key that both parts have is the caller's bug;
 * the response check of the test suite parses every record and would see it.
 */
export function joinObjects<A, B>(a: JsonText<A>, b: JsonText<B>): JsonText<A & B>;
export function joinObjects<A, B, C>(a: JsonText<A>, b: JsonText<B>, c: JsonText<C>): JsonText<A & B & C>;
export function joinObjects(...parts: string[]): string {
  // Concatenation of slices of the parts, not Array.join: V8 keeps them as they are until the
  // page is written out in one go (a join would copy every record's text once more).
  let members = '';
  for (const part of parts) {
    const inner = part.slice(1, -1);
    if (inner !== '') members = members === '' ? inner : members + ',' + inner;
  }
  return '{' + members + '}';
}

/** A page of records already serialised, and the envelope the API puts around them. */
export interface PageText<T> {
  readonly items: readonly JsonText<T>[];
  readonly page: number;
  readonly limit: number;
  readonly total: number;
  readonly hasMore: boolean;
  readonly nextAfter: string | null;
}

/**
 * The page's text as one chain of its records' texts: the socket write flattens it once (an
 * Array.join would copy every record's text into a new string first).
 */
export function pageJson<T>(page: PageText<T>): string {
  const envelope = { page: page.page, limit: page.limit, total: page.total, hasMore: page.hasMore, nextAfter: page.nextAfter };
  let text = '{"items":[';
  page.items.forEach((item, i) => {
    text = i === 0 ? text + item : text + ',' + item;
  });
  return text + '],' + JSON.stringify(envelope).slice(1);
}
