import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * The policy for every answer that does not set its own: JSON, the OpenAPI document, errors. None
 * of them is a page, so nothing may load, run, submit or frame it. Pages with their own needs set a
 * policy of their own (the docs page, the email-link pages), which this middleware leaves alone.
 */
const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every response, errors included (registered first, so it wraps everything):
 * a Content-Security-Policy, `nosniff`, no Referer, no framing, same-origin isolation. HSTS only
 * takes effect over HTTPS, i.e. behind the TLS proxy a deployment puts in front of the API.
 */
export const securityHeaders: MiddlewareHandler = secureHeaders({
  contentSecurityPolicy: API_CONTENT_SECURITY_POLICY,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  // Without includeSubDomains: BookIT may be one host of a domain whose other hosts it does not speak for.
  strictTransportSecurity: 'max-age=15552000',
  // A route that set its own header (a page's stricter or different CSP) keeps it.
  overwrite: false,
});
