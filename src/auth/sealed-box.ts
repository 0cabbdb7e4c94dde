import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKeyBytes } from './tokens';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit key for sealing secrets at rest, derived from JWT_SECRET for this purpose alone. */
export type SealingKey = Buffer;

export function welcomePasswordKey(jwtSecret: string): SealingKey {
  return deriveKeyBytes(jwtSecret, 'welcome-password');
}

/** Seals what a single sign-on started in the browser must bring back (state, nonce, PKCE verifier). */
export function signInRequestKey(jwtSecret: string): SealingKey {
  return deriveKeyBytes(jwtSecret, 'oidc-sign-in');
}

/**
 * AES-256-GCM: nonce ‖ tag ‖ ciphertext. `context` (say, the row's key) is authenticated with it,
 * so a sealed value copied to another row does not open there.
 */
export function seal(key: SealingKey, plaintext: string, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

/** The plaintext, or null when the box was altered, moved or sealed under another key (JWT_SECRET rotated). */
export function unseal(key: SealingKey, sealed: Uint8Array, context: string): string | null {
  const box = Buffer.from(sealed);
  if (box.length < NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(box.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(box.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
