/**
 * The seam between the extension's repositories and ChurchTools' custom-module data store
 * (reference ct-extension §4). One backend = one extension module. Values are opaque strings of
 * at most 10,000 characters; a category is read whole; there are no ETags, no transactions.
 */

export const MAX_VALUE_LENGTH = 10_000;

export interface KvCategory {
  readonly id: number;
  readonly shorty: string;
  readonly name: string;
}

export interface KvValue {
  readonly id: number;
  readonly value: string;
}

export interface KvBackend {
  listCategories(): Promise<KvCategory[]>;
  createCategory(shorty: string, name: string, description: string): Promise<KvCategory>;
  deleteCategory(categoryId: number): Promise<void>;
  /** The whole category, in one request. */
  listValues(categoryId: number): Promise<KvValue[]>;
  createValue(categoryId: number, value: string): Promise<KvValue>;
  /** Replaces the value blindly; repositories check revisions before calling it. */
  updateValue(categoryId: number, valueId: number, value: string): Promise<void>;
  deleteValue(categoryId: number, valueId: number): Promise<void>;
}
