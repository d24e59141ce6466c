/** Fiscal years; per fiscal year: bookings, accounts, projects and the Donor-0 report. */
import {
  AccountListSchema,
  BookingCreateSchema,
  BookingPageSchema,
  BookingParamsSchema,
  BookingPatchSchema,
  BookingSchema,
  Donor0ReportSchema,
  FiscalYearListSchema,
  FiscalYearParamsSchema,
  ListQuerySchema,
  ProjectListSchema,
} from '../../optigem/schemas.ts';
import { defineRoute, recordHeaders } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import type { Services } from '../service/index.ts';

const BASE = '/v1/fiscal-years/:year';

export function financeRoutes(services: Services): Route[] {
  const bookings = services.bookings;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/fiscal-years',
      summary: 'Fiscal years (Wirtschaftsjahre) with their dates and whether they are closed.',
      tag: 'finance',
      access: 'read',
      response: { status: 200, schema: FiscalYearListSchema, description: 'Fiscal years, ascending.' },
      handle: async () => ({ status: 200, body: { items: await bookings.fiscalYears() } }),
    }),
    defineRoute({
      method: 'get',
      path: `${BASE}/accounts`,
      summary: 'Accounts (Sachkonten) of a fiscal year.',
      tag: 'finance',
      access: 'read',
      params: FiscalYearParamsSchema,
      response: { status: 200, schema: AccountListSchema, description: 'Accounts.' },
      errors: [404],
      handle: async ({ params }) => ({ status: 200, body: { fiscalYear: params.year, items: await bookings.accounts(params.year) } }),
    }),
    defineRoute({
      method: 'get',
      path: `${BASE}/projects`,
      summary: 'Projects of a fiscal year (ChurchTools cost centres).',
      tag: 'finance',
      access: 'read',
      params: FiscalYearParamsSchema,
      response: { status: 200, schema: ProjectListSchema, description: 'Projects.' },
      errors: [404],
      handle: async ({ params }) => ({ status: 200, body: { fiscalYear: params.year, items: await bookings.projects(params.year) } }),
    }),
    defineRoute({
      method: 'get',
      path: `${BASE}/donor-0`,
      summary: 'Bookings whose donation side points to Donor 0 (sub-account 0). Clean these up in Optigem before syncing.',
      tag: 'finance',
      access: 'read',
      params: FiscalYearParamsSchema,
      response: { status: 200, schema: Donor0ReportSchema, description: 'The report.' },
      errors: [404],
      handle: async ({ params }) => ({ status: 200, body: await bookings.donor0Report(params.year) }),
    }),
    defineRoute({
      method: 'get',
      path: `${BASE}/bookings`,
      summary: 'Bookings of a fiscal year, ascending by id, a page at a time.',
      tag: 'finance',
      access: 'read',
      params: FiscalYearParamsSchema,
      query: ListQuerySchema,
      response: { status: 200, schema: BookingPageSchema, description: 'One page of bookings.', page: true },
      errors: [404],
      handle: async ({ params, query }) => ({ status: 200, page: await bookings.list(params.year, query) }),
    }),
    defineRoute({
      method: 'get',
      path: `${BASE}/bookings/:id`,
      summary: 'One booking.',
      tag: 'finance',
      access: 'read',
      params: BookingParamsSchema,
      response: { status: 200, schema: BookingSchema, description: 'The booking; ETag header set.' },
      errors: [404],
      handle: async ({ params }) => {
        const booking = await bookings.get(params.year, params.id);
        return { status: 200, body: booking, headers: recordHeaders(booking) };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${BASE}/bookings`,
      summary: 'Create a booking in an open fiscal year. Idempotency-Key works as for persons.',
      tag: 'finance',
      access: 'write',
      params: FiscalYearParamsSchema,
      body: BookingCreateSchema,
      idempotencyKey: true,
      response: { status: 201, schema: BookingSchema, description: 'Created (201), or the earlier result of the same Idempotency-Key (200).' },
      errors: [404, 409],
      handle: async ({ params, body, idempotencyKey, actor }) => {
        const { booking, replayed } = await bookings.create(params.year, body, { idempotencyKey, actor });
        const headers = recordHeaders(booking);
        if (replayed) headers['Idempotent-Replayed'] = 'true';
        return { status: replayed ? 200 : 201, body: booking, headers };
      },
    }),
    defineRoute({
      method: 'patch',
      path: `${BASE}/bookings/:id`,
      summary: 'Change a booking in an open fiscal year.',
      tag: 'finance',
      access: 'write',
      params: BookingParamsSchema,
      body: BookingPatchSchema,
      ifMatch: true,
      response: { status: 200, schema: BookingSchema, description: 'The booking after the change.' },
      errors: [404, 409, 412, 428],
      handle: async ({ params, body, ifMatch, actor }) => {
        const booking = await bookings.patch(params.year, params.id, body, { ifMatch, actor });
        return { status: 200, body: booking, headers: recordHeaders(booking) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${BASE}/bookings/:id`,
      summary: 'Delete a booking in an open fiscal year.',
      tag: 'finance',
      access: 'write',
      params: BookingParamsSchema,
      ifMatch: true,
      response: { status: 204, description: 'Deleted.' },
      errors: [404, 409, 412, 428],
      handle: async ({ params, ifMatch, actor }) => {
        await bookings.delete(params.year, params.id, { ifMatch, actor });
        return { status: 204 };
      },
    }),
  ];
}
