import { useLocation } from 'preact-iso/router';
import { useEffect } from 'preact/hooks';
import type { Role } from '../api/types';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { pendingRequestCountStore, readPendingRequests } from '../live/pending-requests';
import { useStore } from '../state/use-store';

interface NavLink {
  href: string;
  label: string;
  roles?: Role[];
}

const DECIDERS: Role[] = ['hall_admin', 'super_admin'];

const LINKS: NavLink[] = [
  { href: '/book', label: 'Book a venue' },
  { href: '/find', label: 'Find a room' },
  { href: '/bookings', label: 'My bookings' },
  { href: '/waitlist', label: 'Waitlist' },
  { href: '/notifications', label: 'Notifications' },
  { href: '/requests', label: 'Requests', roles: DECIDERS },
  { href: '/venue-bookings', label: 'Desk', roles: DECIDERS },
  { href: '/admin/users', label: 'Users', roles: ['super_admin'] },
  { href: '/admin/venues', label: 'Venues', roles: ['super_admin'] },
  { href: '/admin/broadcast', label: 'Announce', roles: ['super_admin'] },
  { href: '/admin/emails', label: 'Email log', roles: ['super_admin'] },
  { href: '/admin/webhooks', label: 'Webhooks', roles: ['super_admin'] },
];

/**
 * How many requests wait for a decision, for those who decide them: read when the navigation is
 * drawn and again on booking news (a new request is one), never counted in the browser. The
 * Requests page's own reads set it too, so a decision there shows at once.
 */
function usePendingRequestCount(role: Role): number | null {
  const decides = DECIDERS.includes(role);
  const count = useStore(pendingRequestCountStore);
  const read = () => {
    if (decides) readPendingRequests().catch(() => undefined);
  };
  useEffect(() => {
    read();
    // Signed out (or another person signs in in this tab): nobody's count is shown meanwhile.
    return () => pendingRequestCountStore.set(null);
  }, [decides]);
  useLiveRefetch(isBookingNews, read);
  return decides ? count : null;
}

/** The current section is marked with aria-current, which the style sheet also shows. */
export function MainNav({ role }: { role: Role }) {
  const { path } = useLocation();
  const requests = usePendingRequestCount(role);
  const current = (href: string) => path === href || path.startsWith(`${href}/`);
  return (
    <nav aria-label="Main" class="main-nav">
      <ul>
        {LINKS.filter((link) => !link.roles || link.roles.includes(role)).map((link) => (
          <li key={link.href}>
            <a href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
              {link.label}
              {link.href === '/requests' && requests ? (
                // Named "Requests 2 waiting": the visible words lead the name, and the number is not bare.
                <>
                  {' '}
                  <span class="nav-count">{requests}</span>
                  <span class="visually-hidden"> waiting</span>
                </>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
