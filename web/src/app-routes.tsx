import type { ComponentChildren, ComponentType } from 'preact';
import lazy, { ErrorBoundary } from 'preact-iso/lazy';
import { Route, Router, useLocation } from 'preact-iso/router';
import type { Role } from './api/types';
import { PageBoundary, PageFailed } from './components/PageBoundary';
import { Redirect } from './components/Redirect';
import { useMe } from './session/use-me';

/**
 * Every page is its own chunk, loaded when first visited, so the first load carries only the
 * shell. A chunk that cannot be fetched (gone after a deploy, offline) shows a page saying so.
 */
const lazyPage = <P,>(load: () => Promise<ComponentType<P>>) =>
  lazy(() => load().catch((): ComponentType<P> => PageFailed));

const Book = lazyPage(() => import('./pages/BookPage').then((m) => m.BookPage));
const BookingDetail = lazyPage(() => import('./pages/BookingDetailPage').then((m) => m.BookingDetailPage));
const FindRoom = lazyPage(() => import('./pages/FindRoomPage').then((m) => m.FindRoomPage));
const ChangePassword = lazyPage(() => import('./pages/ChangePasswordPage').then((m) => m.ChangePasswordPage));
const MyBookings = lazyPage(() => import('./pages/MyBookingsPage').then((m) => m.MyBookingsPage));
const Notifications = lazyPage(() => import('./pages/NotificationsPage').then((m) => m.NotificationsPage));
const NotFound = lazyPage(() => import('./pages/NotFoundPage').then((m) => m.NotFoundPage));
const NotAllowed = lazyPage(() => import('./pages/NotAllowedPage').then((m) => m.NotAllowedPage));
const Profile = lazyPage(() => import('./pages/ProfilePage').then((m) => m.ProfilePage));
const Requests = lazyPage(() => import('./pages/RequestsPage').then((m) => m.RequestsPage));
const Series = lazyPage(() => import('./pages/SeriesPage').then((m) => m.SeriesPage));
const Settings = lazyPage(() => import('./pages/settings/SettingsPage').then((m) => m.SettingsPage));
const Desk = lazyPage(() => import('./pages/DeskPage').then((m) => m.DeskPage));
const Waitlist = lazyPage(() => import('./pages/WaitlistPage').then((m) => m.WaitlistPage));
const AdminUsers = lazyPage(() => import('./pages/admin/UsersPage').then((m) => m.UsersPage));
const AdminVenues = lazyPage(() => import('./pages/admin/VenuesPage').then((m) => m.VenuesPage));
const AdminBroadcast = lazyPage(() => import('./pages/admin/BroadcastPage').then((m) => m.BroadcastPage));
const AdminEmails = lazyPage(() => import('./pages/admin/EmailLogPage').then((m) => m.EmailLogPage));
const AdminWebhooks = lazyPage(() => import('./pages/admin/WebhooksPage').then((m) => m.WebhooksPage));

/** The page for users of these roles; anyone else is told they may not open it. */
function onlyFor(roles: Role[], Page: ComponentType): ComponentType {
  return function RoleGate() {
    const me = useMe();
    return roles.includes(me.role) ? <Page /> : <NotAllowed />;
  };
}

const DeskForAdmins = onlyFor(['hall_admin', 'super_admin'], Desk);
const RequestsForAdmins = onlyFor(['hall_admin', 'super_admin'], Requests);
const UsersForSuperAdmins = onlyFor(['super_admin'], AdminUsers);
const VenuesForSuperAdmins = onlyFor(['super_admin'], AdminVenues);
const BroadcastForSuperAdmins = onlyFor(['super_admin'], AdminBroadcast);
const EmailsForSuperAdmins = onlyFor(['super_admin'], AdminEmails);
const WebhooksForSuperAdmins = onlyFor(['super_admin'], AdminWebhooks);

/** Suspends while a page's chunk loads (preact-iso keeps the previous page up meanwhile). */
function Pages({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  return (
    <ErrorBoundary>
      <PageBoundary path={path}>{children}</PageBoundary>
    </ErrorBoundary>
  );
}

/** Where signing in lands: a hall admin's work is their desk (their venues' day); everyone else's, their own bookings. */
function Home() {
  const me = useMe();
  return <Redirect to={me.role === 'hall_admin' ? '/venue-bookings' : '/bookings'} />;
}

export function SignedInRoutes() {
  return (
    <Pages>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/book" component={Book} />
        <Route path="/venues/:id" component={Book} />
        <Route path="/find" component={FindRoom} />
        <Route path="/bookings" component={MyBookings} />
        <Route path="/bookings/:id" component={BookingDetail} />
        <Route path="/series/:id" component={Series} />
        <Route path="/waitlist" component={Waitlist} />
        <Route path="/waitlist/:id" component={Waitlist} />
        <Route path="/notifications" component={Notifications} />
        <Route path="/requests" component={RequestsForAdmins} />
        <Route path="/venue-bookings" component={DeskForAdmins} />
        <Route path="/admin/users" component={UsersForSuperAdmins} />
        <Route path="/admin/venues" component={VenuesForSuperAdmins} />
        <Route path="/admin/broadcast" component={BroadcastForSuperAdmins} />
        <Route path="/admin/emails" component={EmailsForSuperAdmins} />
        <Route path="/admin/webhooks" component={WebhooksForSuperAdmins} />
        <Route path="/profile" component={Profile} />
        <Route path="/settings" component={Settings} />
        <Route path="/change-password" component={ChangePassword} />
        <Route default component={NotFound} />
      </Router>
    </Pages>
  );
}

const SignIn = lazyPage(() => import('./pages/SignInPage').then((m) => m.SignInPage));

export function SignedOutRoutes() {
  return (
    <Pages>
      <Router>
        <Route path="/sign-in" component={SignIn} />
        <Route default component={NotFound} />
      </Router>
    </Pages>
  );
}

/** While a password must be changed, that page is the only one. */
export function PasswordChangeRoutes() {
  return (
    <Pages>
      <Router>
        <Route path="/change-password" component={ChangePassword} />
        <Route default component={NotFound} />
      </Router>
    </Pages>
  );
}
