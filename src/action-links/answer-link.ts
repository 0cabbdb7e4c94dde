import { verifyActionToken } from '../auth/action-tokens';
import { isDatabaseUnavailable } from '../db/error-codes';
import { findActiveUser } from '../users/store';
import { DomainError, type DomainErrorKind } from '../domain/errors';
import type { ActionLinkDeps, ActionPage, PageOutcome } from './action-handler';
import { actionHandlers } from './action-registry';
import { renderActionPrompt, renderOutcome } from './render-page';

/** A page ready to send: its outcome (the HTTP adapter turns it into a status) and its HTML. */
export interface RenderedPage {
  outcome: PageOutcome;
  html: string;
}

/**
 * Answers an email link: `describe` for the page it opens on (changes nothing), `perform` for the
 * button's POST. Every answer is a page, refusals and our own failures included.
 */
export async function answerLink(
  deps: ActionLinkDeps,
  token: string,
  step: 'describe' | 'perform',
): Promise<RenderedPage> {
  let context: Record<string, unknown> = { step };
  try {
    const check = await verifyActionToken(deps.keys.action, token);
    if (!check.ok) return outcome(check.reason === 'expired' ? EXPIRED : INVALID);
    const { action, targetId, userId, scheduleVersion } = check.claims;
    context = { step, action, targetId, userId };
    const handler = actionHandlers[action];
    if (!handler) return outcome(UNSUPPORTED);
    const user = await findActiveUser(deps.sql, userId);
    if (!user) return outcome(USER_INACTIVE);
    const request = { deps, user, targetId, scheduleVersion };
    if (step === 'describe') {
      const prompt = await handler.describe(request);
      return { outcome: prompt.outcome, html: renderActionPrompt({ ...prompt, recipient: user.full_name }) };
    }
    return outcome(await handler.perform(request), user.full_name);
  } catch (error) {
    if (error instanceof DomainError) return outcome(refusal(error));
    // Logged with the claims, never the token or the URL that carries it.
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: error, ...context }, 'database unavailable for an email link');
      return outcome(UNAVAILABLE);
    }
    deps.logger.error({ err: error, ...context }, 'email link failed');
    return outcome(FAILED);
  }
}

function outcome(page: ActionPage, recipient: string | null = null): RenderedPage {
  return { outcome: page.outcome, html: renderOutcome({ ...page, recipient }) };
}

const ourTrouble = (outcome: PageOutcome) => outcome === 'unavailable' || outcome === 'failed';
const notice = (outcome: PageOutcome, title: string, message: string): ActionPage => ({
  outcome,
  tone: ourTrouble(outcome) ? 'error' : 'warning',
  title,
  message,
  details: [],
  link: { href: '/', label: 'Open BookIT' },
});

const INVALID = notice(
  'invalid',
  'This link is not valid',
  'It may have been cut short or changed when it was copied. Open it again from the email, or do this in BookIT instead.',
);
const UNSUPPORTED = notice(
  'invalid',
  'This link is not supported',
  'BookIT cannot act on this kind of link. Do this in BookIT instead.',
);
const EXPIRED = notice(
  'gone',
  'This link has expired',
  'Links in emails work for a limited time. Do this in BookIT instead, or use the link in a newer email.',
);
const USER_INACTIVE = notice(
  'gone',
  'This link can no longer be used',
  'The account it was sent to is no longer active.',
);
const UNAVAILABLE = notice(
  'unavailable',
  'BookIT is briefly unavailable',
  'Nothing was changed. Please try again in a few minutes.',
);
const FAILED = notice(
  'failed',
  'Something went wrong',
  'We could not finish this, and we have logged the problem. Please try again later.',
);

/** The one mapping from what the domain refused to the page that explains it. */
const REFUSAL_TITLES: Partial<Record<DomainErrorKind, string>> = {
  invalid: 'This link cannot be used',
  forbidden: 'This is not yours to do',
  not_found: 'We could not find this',
  conflict: 'This can no longer be done',
  gone: 'This link can no longer be used',
};

/** A problem the link's user ran into, in the sentence the command raised it with. */
function refusal(error: DomainError): ActionPage {
  return notice(
    error.kind,
    REFUSAL_TITLES[error.kind] ?? 'This cannot be done',
    error.message || 'This link cannot be used.',
  );
}
