import { useLocation } from 'preact-iso/router';
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../api/types';
import { signOut } from '../session/session-lifecycle';
import { MainNav } from './MainNav';
import { NotificationBell } from './NotificationBell';

/**
 * The header of every signed-in page. On narrow screens the navigation and account links fold
 * behind a "Menu" disclosure button; `restricted` (a password to change first) shows only sign-out.
 * While email to the user's address bounces, a banner under the bar says so.
 */
export function SiteHeader({ me, restricted = false }: { me: Me; restricted?: boolean }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const { url } = useLocation();
  useEffect(() => setMenuOpen(false), [url]);

  return (
    <header class="site-header">
      <div class={restricted ? 'header-bar container restricted' : 'header-bar container'}>
        <a href="/" class="brand">
          BookIT
        </a>
        {!restricted && (
          <button
            type="button"
            class="menu-button"
            aria-expanded={menuOpen}
            aria-controls="site-menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            Menu
          </button>
        )}
        <div id="site-menu" class={menuOpen || restricted ? 'site-menu open' : 'site-menu'}>
          {!restricted && <MainNav role={me.role} />}
          <div class="account-links">
            {!restricted && (
              <>
                <a href="/profile" aria-current={url === '/profile' ? 'page' : undefined}>
                  Account
                </a>
                <a href="/settings" aria-current={url === '/settings' ? 'page' : undefined}>
                  Settings
                </a>
              </>
            )}
            <button type="button" class="link-button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
        {!restricted && <NotificationBell />}
      </div>
      {me.email_bounced && (
        // On every page: the person is the one who can tell an administrator their address is wrong.
        <div class="email-bounced-banner">
          <p class="container">
            <strong>Emails to you bounce: check your address with an administrator.</strong>{' '}
            <span class="small">
              {me.email} refused them: {me.email_bounced.reason}
            </span>
          </p>
        </div>
      )}
    </header>
  );
}
