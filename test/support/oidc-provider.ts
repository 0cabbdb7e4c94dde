import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { freePort } from '../../scripts/dev/free-port';

/** A person at the test identity provider, with the claims its ID tokens carry. */
export interface ProviderAccount {
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The environment that points BookIT at this provider (merge more OIDC_* settings over it). */
  env: Record<string, string>;
  /**
   * Registers BookIT at `appBase` as the provider's client (its callback and sign-in page as the
   * redirect URIs); until then the provider answers 503. For a stack whose port is chosen as it starts.
   */
  register(appBase: string): void;
  /** Adds or changes a person; `login` is what they type (or post) on the provider's sign-in form, and their `sub`. */
  setAccount(login: string, account: ProviderAccount): void;
  /** The provider's sessions ended by RP-initiated logout so far. */
  logouts: number;
  close(): Promise<void>;
}

const CLIENT_ID = 'bookit';
const CLIENT_SECRET = 'bookit-test-client-secret-0123456789';

/**
 * A real OpenID Connect provider (panva's certified oidc-provider) on a free port of this machine,
 * with BookIT registered as a confidential client at `appBase` (now, or later with `register`) and
 * a minimal sign-in page of its own: a Username field (the account's login) and a Password field
 * (anything), no consent step (a first-party client is granted what it asks). Its pages load
 * nothing from elsewhere.
 */
export async function startIdentityProvider(appBase?: string): Promise<TestIdentityProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, ProviderAccount>();
  let logouts = 0;
  let provider: Provider | undefined;
  let handle: ReturnType<Provider['callback']> | undefined;

  const register = (base: string) => {
    provider = createProvider(issuer, base, accounts);
    provider.on('end_session.success', () => {
      logouts += 1;
    });
    handle = provider.callback();
  };
  if (appBase) register(appBase);

  const server = createServer((req, res) => {
    if (!provider || !handle) {
      res.statusCode = 503;
      return void res.end('no client registered yet');
    }
    const interaction = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!interaction) return void handle(req, res);
    signInPage(provider, accounts, req, res, interaction[2] !== undefined).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET },
    register,
    setAccount(login, account) {
      accounts.set(login, account);
    },
    get logouts() {
      return logouts;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function createProvider(issuer: string, appBase: string, accounts: Map<string, ProviderAccount>): Provider {
  return new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${appBase}/api/auth/oidc/callback`],
        post_logout_redirect_uris: [`${appBase}/sign-in`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // The claims in the ID token itself, as BookIT reads them (Keycloak's mappers put them there).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['bookit-test-provider-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page(
            'Sign out of the test provider?',
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<p>You are signed out of the test provider.</p>');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Provider error', `<pre>${escapeHtml(JSON.stringify(out))}</pre>`);
    },
  });
}

/** The provider's own sign-in step: GET shows the form, POST signs the named account in. */
async function signInPage(
  provider: Provider,
  accounts: Map<string, ProviderAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  submitted: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
  let problem = '';
  if (submitted && req.method === 'POST') {
    const body = new URLSearchParams(await readBody(req));
    const login = body.get('login') ?? '';
    if (accounts.has(login) && body.get('password')) {
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    problem = '<p role="alert">No such account, or no password.</p>';
  }
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(
    page(
      'Sign in to the test provider',
      `${problem}<form method="post" action="/interaction/${details.uid}/login">
        <label>Username <input name="login" autocomplete="off"></label>
        <label>Password <input name="password" type="password"></label>
        <button type="submit">Continue</button>
      </form>`,
    ),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
