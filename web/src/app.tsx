import { LocationProvider, useLocation } from 'preact-iso/router';
import { PasswordChangeRoutes, SignedInRoutes, SignedOutRoutes } from './app-routes';
import { Redirect } from './components/Redirect';
import { SiteHeader } from './components/SiteHeader';
import { Toasts } from './components/Toasts';
import { OfferBanner } from './components/OfferBanner';
import { safeNext, signInUrlFor } from './safe-next';
import { formatChoiceStore } from './format/locale';
import { sessionStore } from './session/session-state';
import { useStore } from './state/use-store';

/** Server paths the router must leave to the browser (the API, email action links, API docs). */
const APP_PATHS = /^\/(?!api\/|actions\/|docs|openapi\.json)/;

export function App() {
  return (
    <LocationProvider scope={APP_PATHS}>
      <Shell />
    </LocationProvider>
  );
}

function SkipLink() {
  return (
    // biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the click moves focus itself because the router takes over links
    <a
      href="#main"
      class="skip-link"
      onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      Skip to main content
    </a>
  );
}

/**
 * Decides what the session allows: sign-in while signed out (remembering the page wanted), the
 * password change while one is due, and the app otherwise.
 */
function Shell() {
  const session = useStore(sessionStore);
  const { path, url, query } = useLocation();

  if (session.phase === 'starting') {
    return (
      <main id="main" class="container" tabIndex={-1}>
        <p role="status" class="muted">
          Loading BookIT…
        </p>
      </main>
    );
  }

  if (session.phase === 'signed_out') {
    if (path !== '/sign-in') return <Redirect to={signInUrlFor(url)} />;
    return (
      <>
        <SkipLink />
        <header class="site-header">
          <div class="header-bar container">
            <span class="brand">BookIT</span>
          </div>
        </header>
        <main id="main" class="container narrow" tabIndex={-1}>
          <SignedOutRoutes />
        </main>
      </>
    );
  }

  const { me } = session;
  // A new way of writing dates redraws every page with it (the shell, and so each page, renders again).
  const dateFormat = useStore(formatChoiceStore);
  if (path === '/sign-in') return <Redirect to={safeNext(query.next)} />;
  if (me.must_change_password && path !== '/change-password')
    return <Redirect to={`/change-password?next=${encodeURIComponent(url)}`} />;
  return (
    <>
      <SkipLink />
      <SiteHeader me={me} restricted={me.must_change_password} />
      {!me.must_change_password && <OfferBanner />}
      <main id="main" class="container" tabIndex={-1} data-date-format={dateFormat || undefined}>
        {me.must_change_password ? <PasswordChangeRoutes /> : <SignedInRoutes />}
      </main>
      <Toasts />
    </>
  );
}
