import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { tail } from '../text/code-points.ts';

const VERSION = 'v1';

/** AES-256-GCM; the output carries its version, IV and tag so keys and formats can rotate. */
export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decryptSecret(sealed: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('Unrecognised secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** "****" plus at most the last 4 characters; short secrets show nothing of themselves. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `****${tail(secret, 4)}` : '****';
}
