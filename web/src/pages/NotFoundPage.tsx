import { PageHeading } from '../components/PageHeading';

export function NotFoundPage({ message = 'There is no page at this address.' }: { message?: string }) {
  return (
    <>
      <PageHeading title="Not found" />
      <p>{message}</p>
      <p>
        <a href="/bookings">Go to my bookings</a>
      </p>
    </>
  );
}
