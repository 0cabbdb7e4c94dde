import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { createCalendarFeed, listCalendarFeeds, revokeCalendarFeed } from '../../api/calendar';
import type { CalendarFeed, Venue } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert, Status } from '../../components/Feedback';
import { useAction } from '../../hooks/use-action';
import { useLoad } from '../../hooks/use-load';
import { CalendarFeedItem, type FeedSlot } from './CalendarFeedItem';

const PERSONAL: FeedSlot = {
  key: 'personal',
  title: 'Your bookings',
  makeLabel: 'Make my calendar feed',
  shows: 'your bookings',
};

const venueSlot = (venueId: number, name: string | undefined, administered: boolean): FeedSlot => ({
  key: `venue-${venueId}`,
  title: name ?? `Venue #${venueId}`,
  venueId,
  makeLabel: administered ? `Make the calendar feed for ${name ?? `venue #${venueId}`}` : undefined,
  shows: `the bookings at ${name ?? 'this venue'}`,
});

const slotOf = (feed: CalendarFeed) => (feed.venue_id === null ? 'personal' : `venue-${feed.venue_id}`);

/**
 * Private calendar links: the user's own bookings and, for a hall admin, each venue they administer.
 * The server keeps only a hash of a link's token, so a link is shown once, when made.
 */
export function CalendarFeeds({ administered, allVenues }: { administered: Venue[]; allVenues: Venue[] }) {
  const feeds = useLoad(listCalendarFeeds, []);
  const [made, setMade] = useState<Record<string, string>>({});
  const [turningOff, setTurningOff] = useState<{ feed: CalendarFeed; slot: FeedSlot } | null>(null);
  const action = useAction(feeds.reload);

  const live = new Map<string, CalendarFeed>();
  for (const feed of feeds.data ?? []) if (!live.has(slotOf(feed))) live.set(slotOf(feed), feed);
  const names = new Map(allVenues.map((venue) => [venue.id, venue.name]));
  const slots = [PERSONAL, ...administered.map((venue) => venueSlot(venue.id, venue.name, true))];
  // A venue feed kept after its owner stopped administering the venue (it no longer opens) can still be turned off.
  for (const feed of feeds.data ?? []) {
    if (feed.venue_id !== null && !slots.some((slot) => slot.key === slotOf(feed)))
      slots.push(venueSlot(feed.venue_id, names.get(feed.venue_id), false));
  }

  const make = (slot: FeedSlot) =>
    action.run(async () => {
      const feed = await createCalendarFeed(slot.venueId);
      setMade((old) => ({ ...old, [slot.key]: feed.url }));
      return live.has(slot.key)
        ? `Made a new link to ${slot.shows}; the old one no longer works.`
        : `Made a link to ${slot.shows}.`;
    });

  const turnOff = (feed: CalendarFeed, slot: FeedSlot) =>
    action.run(async () => {
      await revokeCalendarFeed(feed.id);
      setMade(({ [slot.key]: _gone, ...rest }) => rest);
      return `Turned off the link to ${slot.shows}.`;
    });

  return (
    <section aria-labelledby="calendar-feeds-heading">
      <h2 id="calendar-feeds-heading" class="section-heading">
        Calendar feeds
      </h2>
      <p class="hint intro">
        A private link your calendar app (Google Calendar, Outlook, Apple Calendar…) subscribes to, so bookings show
        there and stay up to date. Anyone with the link can see them; making a new one turns the old one off. Signing
        out (which signs you out everywhere) or changing your password turns every link off, and a venue's link ends
        when you stop administering the venue: make new ones then.
      </p>
      <Status>{action.status}</Status>
      <ErrorAlert message={action.error ?? (feeds.error ? errorMessage(feeds.error) : null)} />
      {feeds.loading ? (
        <p class="muted">Loading your calendar feeds…</p>
      ) : (
        <ul class="card-list">
          {slots.map((slot) => (
            <CalendarFeedItem
              key={slot.key}
              slot={slot}
              feed={live.get(slot.key)}
              madeUrl={made[slot.key] ?? null}
              busy={action.busy}
              onMake={() => make(slot)}
              onTurnOff={() => {
                const feed = live.get(slot.key);
                if (feed) setTurningOff({ feed, slot });
              }}
            />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={turningOff !== null}
        title="Turn off this calendar feed?"
        confirmLabel="Turn off"
        cancelLabel="Keep it"
        onConfirm={() => turningOff && void turnOff(turningOff.feed, turningOff.slot)}
        onClose={() => setTurningOff(null)}
      >
        <p>
          Calendars subscribed to the link to {turningOff?.slot.shows ?? 'these bookings'} stop updating. You can make a
          new link at any time.
        </p>
      </ConfirmDialog>
    </section>
  );
}
