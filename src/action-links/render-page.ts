import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { ActionPage, ActionPrompt } from './action-handler';

const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates/pages');

// A private instance, so helpers or partials registered elsewhere never reach these pages.
const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Whom the link was sent to, greeted by name; null on pages for links we could not read. */
type Recipient = { recipient: string | null };

/** The page an email link opens on (templates/pages/action.hbs). */
export function renderActionPrompt(prompt: ActionPrompt & Recipient): string {
  return page('action.hbs', prompt.title, { ...prompt, link: prompt.link ?? null });
}

/** What came of it, and every page that explains why nothing could be done (templates/pages/outcome.hbs). */
export function renderOutcome(outcome: ActionPage & Recipient): string {
  return page('outcome.hbs', outcome.title, { ...outcome, link: outcome.link ?? null });
}

function page(file: string, title: string, view: Record<string, unknown>): string {
  return template('layout.hbs')({ title, body: template(file)(view) });
}

function template(file: string): Handlebars.TemplateDelegate {
  const cached = compiled.get(file);
  if (cached) return cached;
  // strict: a field the view lacks is a bug and throws instead of rendering as nothing.
  const delegate = handlebars.compile(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'), {
    strict: true,
    knownHelpersOnly: true,
  });
  compiled.set(file, delegate);
  return delegate;
}
