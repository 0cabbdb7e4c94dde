// A room search lives in the page's query string, with the API's own parameter names, so a search
// can be shared, reloaded and gone back to; the page and the API read the same words.

/** What a person asks the room finder; fields left empty ('') are not asked. */
export interface RoomSearch {
  /** YYYY-MM-DD, on each venue's own clock. */
  date: string;
  /** HH:MM; empty for the start of the day. */
  from: string;
  /** HH:MM; empty for the end of the day. */
  to: string;
  /** At least this many people. */
  capacity: string;
  /** Every one of these, by name. */
  amenities: string[];
  /** Free for at least this many minutes. */
  minMinutes: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;
const WHOLE = /^\d+$/;

const kept = (value: string | undefined, shape: RegExp) => (value && shape.test(value) ? value : '');

/** A search with only the date asked. */
export const searchOn = (date: string): RoomSearch => ({
  date,
  from: '',
  to: '',
  capacity: '',
  amenities: [],
  minMinutes: '',
});

/** The search a page address asks for, or null when it asks none (no date); what is malformed is left out. */
export function searchOfQuery(query: Record<string, string | undefined>): RoomSearch | null {
  const date = kept(query.date, DATE);
  if (!date) return null;
  return {
    date,
    from: kept(query.from, TIME),
    to: kept(query.to, TIME),
    capacity: kept(query.capacity, WHOLE),
    amenities: (query.amenities ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    minMinutes: kept(query.min_minutes, WHOLE),
  };
}

/** The query parameters of a search, as both the page's address and GET /api/availability take them. */
export const queryOfSearch = (search: RoomSearch): Record<string, string> => ({
  date: search.date,
  from: search.from,
  to: search.to,
  capacity: search.capacity,
  amenities: search.amenities.join(','),
  min_minutes: search.minMinutes,
});
