import type { Role } from '../api/types';
import { useLocation } from 'preact-iso/router';

interface NavLink {
  href: string;
  label: string;
  roles?: Role[];
}

const LINKS: NavLink[] = [
  { href: '/book', label: 'Book a venue' },
  { href: '/bookings', label: 'My bookings' },
  { href: '/waitlist', label: 'Waitlist' },
  { href: '/notifications', label: 'Notifications' },
  { href: '/venue-bookings', label: 'Venue bookings', roles: ['hall_admin', 'super_admin'] },
  { href: '/admin/users', label: 'Users', roles: ['super_admin'] },
  { href: '/admin/venues', label: 'Venues', roles: ['super_admin'] },
  { href: '/admin/broadcast', label: 'Announce', roles: ['super_admin'] },
  { href: '/admin/emails', label: 'Email log', roles: ['super_admin'] },
  { href: '/admin/webhooks', label: 'Webhooks', roles: ['super_admin'] },
];

/** The current section is marked with aria-current, which the style sheet also shows. */
export function MainNav({ role }: { role: Role }) {
  const { path } = useLocation();
  const current = (href: string) => path === href || path.startsWith(`${href}/`);
  return (
    <nav aria-label="Main" class="main-nav">
      <ul>
        {LINKS.filter((link) => !link.roles || link.roles.includes(role)).map((link) => (
          <li key={link.href}>
            <a href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
