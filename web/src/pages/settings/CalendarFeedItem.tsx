import { useEffect, useRef } from 'preact/hooks';
import type { CalendarFeed } from '../../api/types';
import { ShownOnceField } from '../../components/ShownOnceField';
import { TimeAgo } from '../../components/TimeAgo';

/** One calendar a user may subscribe to: their own bookings, or a venue's they administer. */
export interface FeedSlot {
  key: string;
  /** "Your bookings", or the venue's name. */
  title: string;
  venueId?: number;
  /** The make button's words; absent for a venue the user no longer administers (it can only be turned off). */
  makeLabel?: string;
  /** Whose bookings the link shows: "your bookings", "the bookings at Main Hall". */
  shows: string;
}

export interface CalendarFeedItemProps {
  slot: FeedSlot;
  feed: CalendarFeed | undefined;
  /** The URL just made for this slot: the only time it is shown. */
  madeUrl: string | null;
  busy: boolean;
  onMake: () => void;
  onTurnOff: () => void;
}

/** The feed's address for calendar apps: the same URL with the webcal scheme. */
export const webcalOf = (url: string) => url.replace(/^https?:\/\//, 'webcal://');

export function CalendarFeedItem({ slot, feed, madeUrl, busy, onMake, onTurnOff }: CalendarFeedItemProps) {
  const makeButton = useRef<HTMLButtonElement>(null);
  // Turned off, the "Turn off" button that had focus is gone: focus goes to the button that makes a new link.
  const hadFeed = useRef(feed !== undefined);
  useEffect(() => {
    if (hadFeed.current && !feed && (document.activeElement === document.body || document.activeElement === null))
      makeButton.current?.focus();
    hadFeed.current = feed !== undefined;
  }, [feed]);

  return (
    <li class="card feed-item">
      <h3 class="card-title">{slot.title}</h3>
      <p>
        {feed ? (
          <>
            On — made <TimeAgo iso={feed.created_at} />.
          </>
        ) : (
          'Off: no link yet.'
        )}
      </p>
      {madeUrl && (
        <div class="stack feed-link">
          <ShownOnceField
            id={`feed-url-${slot.key}`}
            label={
              <>
                Calendar feed link<span class="visually-hidden">: {slot.title}</span>
              </>
            }
            value={madeUrl}
            noun="the link"
            copyLabel={`Copy the link: ${slot.title}`}
            note={`Anyone with this link can see ${slot.shows}; making a new one turns the old one off. It is shown only now: paste it into your calendar app's “subscribe by URL”, or subscribe in one step below.`}
          />
          <p>
            {/* webcal:// opens the system's calendar app, which subscribes (and fetches over https itself). */}
            <a class="button-link" href={webcalOf(madeUrl)}>
              Subscribe in my calendar app<span class="visually-hidden">: {slot.title}</span>
            </a>
          </p>
        </div>
      )}
      <div class="actions">
        {slot.makeLabel && (
          <button ref={makeButton} type="button" class={feed ? undefined : 'primary'} disabled={busy} onClick={onMake}>
            {slot.makeLabel}
          </button>
        )}
        {feed && (
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={onTurnOff}
            aria-label={`Turn off the calendar feed: ${slot.title}`}
          >
            Turn off
          </button>
        )}
      </div>
    </li>
  );
}
