import { BookingService } from './bookings.ts';
import type { ServiceDeps } from './deps.ts';
import { MetaService } from './meta.ts';
import { PersonService } from './persons.ts';

export interface Services {
  readonly meta: MetaService;
  readonly persons: PersonService;
  readonly bookings: BookingService;
}

export function createServices(deps: ServiceDeps): Services {
  return { meta: new MetaService(deps), persons: new PersonService(deps), bookings: new BookingService(deps) };
}
