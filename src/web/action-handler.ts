import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiDeps } from '../api/context';
import type { UserRow } from '../db/users';

/** One labelled fact on a page: `{ label: 'Venue', value: 'LRDC Hall' }`. */
export interface PageDetail {
  label: string;
  value: string;
}

/** What an email link answers with: its status, a heading, one sentence and the facts it is about. */
export interface ActionPage {
  status: ContentfulStatusCode;
  tone: 'info' | 'success' | 'warning' | 'error';
  title: string;
  message: string;
  details: PageDetail[];
}

/** The page a link opens on; it carries a button only while the action can still be done. */
export interface ActionPrompt extends ActionPage {
  button: { label: string; tone: 'primary' | 'danger' } | null;
}

/** A verified link: who it was sent to (an active user) and the row it acts on. */
export interface ActionRequest {
  deps: ApiDeps;
  user: UserRow;
  targetId: number;
}

/**
 * One kind of email link. Both methods may throw an `HTTPException` (404, 403, 409...): its
 * sentence is shown on a page with its status. Anything else is our fault and answered 500.
 */
export interface ActionHandler {
  /** For the GET page. Reads only: mail scanners open links, so describing must never change anything. */
  describe(request: ActionRequest): Promise<ActionPrompt>;
  /** For the POST, as the link's user; repeating a completed action answers "already done" with 200. */
  perform(request: ActionRequest): Promise<ActionPage>;
}
