import { api } from './contract';
import type { BodyOf } from './operations';
import type { components, paths } from './schema.gen';

/** PATCH /api/venues/{id}: what a venue is; `archived` only a super admin may change. */
export type VenueChanges = BodyOf<'/api/venues/{id}', 'patch'>;

export const updateVenue = (venueId: number, changes: VenueChanges) =>
  api.patch('/api/venues/{id}', { path: { id: venueId }, body: changes });

/** GET /api/venues/{id}/rules: what applies now, the venue's own settings, hours, closures, bookers. */
export type VenueRules = components['schemas']['VenueRules'];
/** Open on a weekday (0 = Sunday) from `opens` to `closes` on the venue's clock. */
export type OpeningHours = VenueRules['hours'][number];
export type Closure = VenueRules['closures'][number];
/** The venue's own settings, in minutes; null keeps the deployment's default, 0 is no limit. */
export type OwnRules = VenueRules['own'];
/** PATCH /api/venues/{id}/rules: only the fields given change. */
export type RuleChanges = BodyOf<'/api/venues/{id}/rules', 'patch'>;

export const fetchVenueRules = (venueId: number) => api.get('/api/venues/{id}/rules', { path: { id: venueId } });

export const updateVenueRules = (venueId: number, changes: RuleChanges) =>
  api.patch('/api/venues/{id}/rules', { path: { id: venueId }, body: changes });

/** A booking a closure would cancel, as the 409 lists it (venue-local date and times). */
export type ClosedOutBooking =
  paths['/api/venues/{id}/closures']['post']['responses'][409]['content']['application/json']['bookings'][number];

export type NewClosure = BodyOf<'/api/venues/{id}/closures', 'post'>;

export const addClosure = (venueId: number, closure: NewClosure) =>
  api.post('/api/venues/{id}/closures', { path: { id: venueId }, body: closure });

export const removeClosure = (venueId: number, closureId: number) =>
  api.delete('/api/venues/{id}/closures/{closure_id}', { path: { id: venueId, closure_id: closureId } });
