import * as client from 'openid-client';
import type { OidcConfig } from '../config/oidc';
import { DomainError, invalid } from '../domain/errors';
import type { IdTokenClaims } from './identity';

/**
 * What a sign-in that went to the provider must bring back: kept in the browser (sealed in a
 * short-lived cookie) between the start and the callback, never on the server.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The app's page to land on afterwards (a path of this site). */
  next: string;
}

/** The provider could not be reached or answered nonsense: not the person's fault, and worth trying again. */
export class IdentityProviderUnavailable extends Error {
  override readonly name = 'IdentityProviderUnavailable';
}

export interface OidcClient {
  /** A new sign-in: the provider's authorization URL (code flow, PKCE S256, state and nonce) and what to keep. */
  begin(next: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /**
   * The provider's answer (the callback's query string) for the sign-in it was started as: the code
   * exchanged, and the ID token validated (signature, issuer, audience, expiry, nonce) by openid-client.
   */
  complete(query: string, pending: PendingSignIn): Promise<{ claims: IdTokenClaims; idToken: string }>;
  /** Where to send the browser so the provider ends its session too; null when it has no end_session_endpoint. */
  endSessionUrl(idToken: string): Promise<URL | null>;
}

/**
 * The relying party, with the certified openid-client. The provider's metadata is discovered on
 * first use and kept (a failure is not kept, so the next sign-in asks again): the API starts, and
 * password sign-in works, while the provider is down.
 */
export function createOidcClient(config: OidcConfig): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(
        config.issuer,
        config.clientId,
        config.clientSecret ? { client_secret: config.clientSecret } : undefined,
        config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(),
        config.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new IdentityProviderUnavailable(
          `The identity provider's metadata could not be read from ${config.issuer.href}: ${(error as Error).message}`,
          { cause: error },
        );
      });
    return discovered;
  };

  return {
    async begin(next) {
      const server = await configuration();
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        next,
      };
      const url = client.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async complete(query, pending) {
      const answer = new URLSearchParams(query);
      // Checked here first, so a mismatch reads as what it is whatever else the answer holds.
      if (answer.get('state') !== pending.state)
        throw invalid(
          'This sign-in answer does not belong to the sign-in this browser started (its state differs): start again',
        );
      const server = await configuration();
      // The URL the provider sent the browser to, as registered (not as a proxy in front rewrote it).
      const current = new URL(config.redirectUri);
      current.search = answer.toString();
      try {
        const tokens = await client.authorizationCodeGrant(server, current, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims || !tokens.id_token) throw invalid('The identity provider answered without an ID token');
        return { claims: claims as IdTokenClaims, idToken: tokens.id_token };
      } catch (error) {
        throw signInFailure(error);
      }
    },

    async endSessionUrl(idToken) {
      const server = await configuration();
      if (!server.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(server, {
        id_token_hint: idToken,
        post_logout_redirect_uri: config.postLogoutRedirectUri,
        client_id: config.clientId,
      });
    },
  };
}

/** openid-client's codes for an answer that is no OAuth answer at all (an error page, a proxy's 502). */
const PROVIDER_FAULTS = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/** The person's sign-in failed at or with the provider: a sentence for them, or the provider is unavailable. */
function signInFailure(error: unknown): Error {
  if (error instanceof DomainError || error instanceof IdentityProviderUnavailable) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const why = error.error_description ? `${error.error}: ${error.error_description}` : error.error;
    return invalid(`The identity provider did not sign you in (${why})`);
  }
  if (error instanceof client.ResponseBodyError) {
    if (error.status >= 500)
      return new IdentityProviderUnavailable(`The identity provider's token endpoint failed (${error.status})`, {
        cause: error,
      });
    return invalid(
      `The identity provider refused to complete this sign-in (${error.error}); it may have been used already or taken too long: start again`,
    );
  }
  if (error instanceof client.ClientError && PROVIDER_FAULTS.has(error.code ?? ''))
    return new IdentityProviderUnavailable(`The identity provider answered unexpectedly (${error.message})`, {
      cause: error,
    });
  if (error instanceof client.ClientError)
    return invalid(`The identity provider's answer did not check out (${error.message}): start again`);
  return new IdentityProviderUnavailable(`The identity provider could not be reached: ${(error as Error).message}`, {
    cause: error,
  });
}
