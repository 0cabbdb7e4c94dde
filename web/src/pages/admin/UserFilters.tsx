import { useEffect, useRef, useState } from 'preact/hooks';
import type { Role, UserStatus } from '../../api/types';
import type { UserSearch } from '../../api/users';
import { ROLE_NAMES, ROLES } from '../../format/role-names';
import { USER_STATUS_NAMES, USER_STATUSES } from '../../format/user-status';

/** How long typing may pause before the list asks again: one request per word, not per key. */
const TYPING_PAUSE_MS = 300;

export interface UserFiltersProps {
  /** The search the page's address holds. */
  search: UserSearch;
  onSearch: (next: UserSearch) => void;
}

/** The users table's search box (asked once typing pauses, or at Enter) and its role and status filters. */
export function UserFilters({ search, onSearch }: UserFiltersProps) {
  const [text, setText] = useState(search.q);
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const box = useRef<HTMLInputElement>(null);
  const latest = useRef(search);
  latest.current = search;

  // The address changed another way (back, a shared link): the box shows what is searched.
  useEffect(() => {
    if (typing.current === null) setText((shown) => (shown.trim() === search.q ? shown : search.q));
  }, [search.q]);
  useEffect(() => () => clearPending(), []);

  function clearPending() {
    if (typing.current !== null) clearTimeout(typing.current);
    typing.current = null;
  }

  const searchFor = (q: string) => {
    clearPending();
    if (q.trim() !== latest.current.q.trim()) onSearch({ ...latest.current, q: q.trim() });
  };

  /** A filter chosen: asked at once, with whatever the box holds. */
  const choose = (change: Partial<UserSearch>) => {
    clearPending();
    // The box as it is now: what was typed may not have been drawn yet.
    onSearch({ ...latest.current, q: (box.current?.value ?? text).trim(), ...change });
  };

  return (
    <form
      role="search"
      aria-label="Users"
      class="table-filters"
      onSubmit={(event) => {
        event.preventDefault();
        searchFor(text);
      }}
    >
      <div class="field filter-text">
        <label for="user-search">Search by name or email</label>
        <input
          id="user-search"
          ref={box}
          type="search"
          maxLength={200}
          autoComplete="off"
          value={text}
          onInput={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value;
            setText(value);
            clearPending();
            typing.current = setTimeout(() => searchFor(value), TYPING_PAUSE_MS);
          }}
        />
      </div>
      <div class="field">
        <label for="user-role-filter">Show role</label>
        <select
          id="user-role-filter"
          value={search.role}
          onChange={(event) => choose({ role: (event.currentTarget as HTMLSelectElement).value as Role | '' })}
        >
          <option value="">Every role</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_NAMES[role]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="user-status-filter">Show status</label>
        <select
          id="user-status-filter"
          value={search.status}
          onChange={(event) => choose({ status: (event.currentTarget as HTMLSelectElement).value as UserStatus | '' })}
        >
          <option value="">Every status</option>
          {USER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {USER_STATUS_NAMES[status]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
