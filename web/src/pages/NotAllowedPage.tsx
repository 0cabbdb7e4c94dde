import { PageHeading } from '../components/PageHeading';

export function NotAllowedPage() {
  return (
    <>
      <PageHeading title="Not allowed" />
      <p>Your account cannot open this page. Ask a super admin if you need it.</p>
      <p>
        <a href="/bookings">Go to my bookings</a>
      </p>
    </>
  );
}
