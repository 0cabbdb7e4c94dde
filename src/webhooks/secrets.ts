import { hkdfSync, randomBytes } from 'node:crypto';
import { seal, unseal, type SealingKey } from '../auth/sealed-box';

/**
 * An endpoint's signing secret must be at hand to sign every delivery, so unlike a password or a
 * feed token it cannot be kept as a hash: it is sealed (AES-256-GCM) under a key derived from
 * JWT_SECRET for this purpose alone, bound to the endpoint's id. It is shown once, when made.
 */

const PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes, the form the Standard Webhooks libraries take. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The same HKDF scheme as `deriveKeyBytes` in src/auth/tokens.ts, under a purpose label of its own
 * ("webhook-secret"), so this key opens nothing else and no other key opens these.
 */
export function webhookSealingKey(jwtSecret: string): SealingKey {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'bookit', 'bookit:webhook-secret', 32));
}

const contextOf = (endpointId: number) => `webhook-endpoint:${endpointId}`;

export function sealWebhookSecret(key: SealingKey, endpointId: number, secret: string): Buffer {
  return seal(key, secret, contextOf(endpointId));
}

/** The secret, or null when it cannot be opened (JWT_SECRET changed since it was made: rotate it). */
export function openWebhookSecret(key: SealingKey, endpointId: number, sealed: Uint8Array): string | null {
  return unseal(key, sealed, contextOf(endpointId));
}
