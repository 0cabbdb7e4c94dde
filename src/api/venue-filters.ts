import { z } from '@hono/zod-openapi';
import type { ApiDeps } from './context';

// The filters the room finder and the booking grid share: which venue, how many seats, which
// amenities; and the rule defaults both hand to the availability room.

export const VenueFilterParams = {
  venue: z.coerce
    .number({ message: 'must be a venue id' })
    .int('must be a venue id')
    .positive('must be a venue id')
    .optional()
    .openapi({ param: { name: 'venue', in: 'query' }, description: 'Only this venue' }),
  capacity: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .positive('must be at least 1')
    .max(100_000)
    .optional()
    .openapi({ param: { name: 'capacity', in: 'query' }, description: 'Seats at least this many' }),
  amenities: z
    .string()
    .max(1000)
    .optional()
    .openapi({ param: { name: 'amenities', in: 'query' }, description: 'Comma-separated: has every one of these' }),
};

/** "Projector, Whiteboard" → ["Projector", "Whiteboard"]; empty names dropped. */
export const amenityNames = (list: string | undefined) =>
  list
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);

/** The deployment's rule defaults and booking horizon, as the availability room takes them. */
export const availabilityDefaults = (deps: ApiDeps) => ({
  ...deps.config.rules,
  bookingHorizonMs: deps.config.lifecycle.bookingHorizonMs,
});
