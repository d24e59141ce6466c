/** The Optigem side as the extension and the CLI see it. Browser-safe. */
export { BridgeClient } from './client.ts';
export type { BridgeClientOptions } from './client.ts';
export { BridgeError } from './errors.ts';
export type { BridgeErrorKind } from './errors.ts';
export { OptigemSystemPort, OPTIGEM_IDENTITY, personToRecord, valuesToPatch } from './system-port.ts';
export { toPortError } from './port-errors.ts';
export { OptigemBookingPort, bookingToRecord, formatEuro } from './booking-port.ts';
export type { OptigemBookingPortOptions } from './booking-port.ts';
export type { OptigemSystemPortOptions } from './system-port.ts';
export { OPTIGEM_PERSON_FIELDS, OPTIGEM_PERSON_NR } from './fields.ts';
export * from './schemas.ts';
