import type { SigningKey } from '../auth/tokens';
import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { UserRow } from '../users/store';
import type { DomainErrorKind } from '../domain/errors';
import type { Logger } from '../log/logger';

/** What answering an email link needs, passed down from the entry point (the API's deps fit). */
export interface ActionLinkDeps {
  sql: Sql;
  config: Pick<Config, 'lifecycle' | 'rules'>;
  logger: Logger;
  keys: { action: SigningKey };
}

/**
 * How a page's action turned out: `ok`, a refusal in the domain's words, or our own trouble
 * (`unavailable` while the database is down, `failed` for a bug). The HTTP adapter gives each a status.
 */
export type PageOutcome = 'ok' | DomainErrorKind | 'unavailable' | 'failed';

/** One labelled fact on a page: `{ label: 'Venue', value: 'LRDC Hall' }`. */
export interface PageDetail {
  label: string;
  value: string;
}

/** A link on a page to where the reader can go on (e.g. the booking as it is now). */
export interface PageLink {
  href: string;
  label: string;
}

/** What an email link answers with: its outcome, a heading, one sentence and the facts it is about. */
export interface ActionPage {
  outcome: PageOutcome;
  tone: 'info' | 'success' | 'warning' | 'error';
  title: string;
  message: string;
  details: PageDetail[];
  link?: PageLink;
}

/** The page a link opens on; it carries a button only while the action can still be done. */
export interface ActionPrompt extends ActionPage {
  button: { label: string; tone: 'primary' | 'danger' } | null;
}

/** A verified link: who it was sent to (an active user), the row it acts on, and the booking's schedule it was written for. */
export interface ActionRequest {
  deps: ActionLinkDeps;
  user: UserRow;
  targetId: number;
  scheduleVersion?: number;
}

/**
 * One kind of email link. Both methods may throw a DomainError (not_found, forbidden, conflict...):
 * its sentence is shown on a page for its kind. Anything else is our fault and answered as `failed`.
 */
export interface ActionHandler {
  /** For the GET page. Reads only: mail scanners open links, so describing must never change anything. */
  describe(request: ActionRequest): Promise<ActionPrompt>;
  /** For the POST, as the link's user; repeating a completed action answers "already done" as `ok`. */
  perform(request: ActionRequest): Promise<ActionPage>;
}
