import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Lets an operator list bookings by lifecycle phase in the Web UI: `BookingPhase = "awaiting_confirmation"`. */
export const bookingPhaseKey = defineSearchAttributeKey('BookingPhase', SearchAttributeType.KEYWORD);
export const venueIdKey = defineSearchAttributeKey('VenueId', SearchAttributeType.INT);
export const eventStartKey = defineSearchAttributeKey('EventStart', SearchAttributeType.DATETIME);

/** The custom search attributes, as `temporal server start-dev --search-attribute Name=Type` expects them. */
export const SEARCH_ATTRIBUTE_TYPES = {
  BookingPhase: 'Keyword',
  VenueId: 'Int',
  EventStart: 'Datetime',
} as const;
