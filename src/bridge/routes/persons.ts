/** Persons (`Spender`): list, get, create, patch, archive, unarchive, delete. */
import {
  CoupleListSchema,
  ListQuerySchema,
  PersonCreateSchema,
  PersonPageSchema,
  PersonParamsSchema,
  PersonPatchSchema,
  PersonSchema,
} from '../../optigem/schemas.ts';
import { defineRoute, recordHeaders } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import type { Services } from '../service/index.ts';

export function personRoutes(services: Services): Route[] {
  const persons = services.persons;
  const archiveRoute = (archived: boolean): Route =>
    defineRoute({
      method: 'post',
      path: `/v1/persons/:nr/${archived ? 'archive' : 'unarchive'}`,
      summary: archived
        ? 'Archive a person (assigns the archive category; Optigem has no archive flag).'
        : 'Take a person out of the archive.',
      tag: 'persons',
      access: 'write',
      params: PersonParamsSchema,
      ifMatch: true,
      response: { status: 200, schema: PersonSchema, description: 'The person after the change.' },
      errors: [404, 412, 428],
      handle: async ({ params, ifMatch, actor }) => {
        const person = await persons.setArchived(params.nr, archived, { ifMatch, actor });
        return { status: 200, body: person, headers: recordHeaders(person) };
      },
    });

  return [
    defineRoute({
      method: 'get',
      path: '/v1/persons',
      summary: 'Persons, ascending by Nr, a page at a time. Donor 0 is never listed.',
      tag: 'persons',
      access: 'read',
      query: ListQuerySchema,
      response: { status: 200, schema: PersonPageSchema, description: 'One page of persons.', page: true },
      handle: async ({ query }) => ({ status: 200, page: await persons.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/couples',
      summary: 'The Nr and first names of every couple record, for mapping a couple\'s donations without reading all persons.',
      tag: 'persons',
      access: 'read',
      response: { status: 200, schema: CoupleListSchema, description: 'Couple records, ascending by Nr.' },
      handle: async () => ({ status: 200, body: { items: await persons.couples() } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/persons/:nr',
      summary: 'One person.',
      tag: 'persons',
      access: 'read',
      params: PersonParamsSchema,
      response: { status: 200, schema: PersonSchema, description: 'The person; ETag header set.' },
      errors: [404],
      handle: async ({ params }) => {
        const person = await persons.get(params.nr);
        return { status: 200, body: person, headers: recordHeaders(person) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/persons',
      summary: 'Create a person. With Idempotency-Key, a repeated create returns the person made the first time.',
      tag: 'persons',
      access: 'write',
      body: PersonCreateSchema,
      idempotencyKey: true,
      response: { status: 201, schema: PersonSchema, description: 'Created (201), or the earlier result of the same Idempotency-Key (200).' },
      errors: [409],
      handle: async ({ body, idempotencyKey, actor }) => {
        const { person, replayed } = await persons.create(body, { idempotencyKey, actor });
        const headers = recordHeaders(person);
        if (replayed) headers['Idempotent-Replayed'] = 'true';
        return { status: replayed ? 200 : 201, body: person, headers };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/persons/:nr',
      summary: 'Change some fields of a person. `categoryIds` replaces the whole set (the archive marker stays).',
      tag: 'persons',
      access: 'write',
      params: PersonParamsSchema,
      body: PersonPatchSchema,
      ifMatch: true,
      response: { status: 200, schema: PersonSchema, description: 'The person after the change.' },
      errors: [404, 412, 428],
      handle: async ({ params, body, ifMatch, actor }) => {
        const person = await persons.patch(params.nr, body, { ifMatch, actor });
        return { status: 200, body: person, headers: recordHeaders(person) };
      },
    }),
    archiveRoute(true),
    archiveRoute(false),
    defineRoute({
      method: 'delete',
      path: '/v1/persons/:nr',
      summary: 'Delete a person. Refused (409) while bookings point to the person; archive instead.',
      tag: 'persons',
      access: 'write',
      params: PersonParamsSchema,
      ifMatch: true,
      response: { status: 204, description: 'Deleted.' },
      errors: [404, 409, 412, 428],
      handle: async ({ params, ifMatch, actor }) => {
        await persons.delete(params.nr, { ifMatch, actor });
        return { status: 204 };
      },
    }),
  ];
}
