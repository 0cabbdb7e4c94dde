-- Every change to what a venue's schedule shows (a booking made, moved, cancelled, completed, or
-- its request decided) signals the venue on one channel, whatever wrote it; the API's open event
-- streams pass it on, so an open day view or room finder redraws. The payload is the venue id
-- alone (nothing private), so PostgreSQL sends one per venue per transaction.
CREATE FUNCTION bookings_signal_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bookit_schedule', NEW.venue_id::text);
  RETURN NULL;
END $$;

CREATE TRIGGER bookings_schedule_inserted AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_signal_schedule();
CREATE TRIGGER bookings_schedule_changed AFTER UPDATE OF during, status, approval_status ON bookings
  FOR EACH ROW
  WHEN (OLD.during IS DISTINCT FROM NEW.during OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.approval_status IS DISTINCT FROM NEW.approval_status)
  EXECUTE FUNCTION bookings_signal_schedule();
