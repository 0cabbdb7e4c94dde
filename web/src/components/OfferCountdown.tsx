import { useEffect, useState } from 'preact/hooks';

const mmss = (ms: number) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * "Slot available — claim within 14:32", counting down each second to the offer's end. A timer
 * role is not read out on every tick; screen reader users hear it when they move to it.
 */
export function OfferCountdown({ expiresAt, onExpired }: { expiresAt: number; onExpired: () => void }) {
  const [now, setNow] = useState(Date.now());
  const left = expiresAt - now;
  useEffect(() => {
    if (left <= 0) {
      onExpired();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, left));
    return () => clearTimeout(timer);
  }, [now, expiresAt]);

  if (left <= 0) return <p class="offer expired">The offer has expired.</p>;
  return (
    <p class="offer" role="timer" aria-atomic="true">
      Slot available — claim within {mmss(left)}
    </p>
  );
}
