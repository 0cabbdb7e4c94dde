import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword, generatePassword } from '../auth/passwords';
import type { Config } from '../config/config';
import { migrate } from './migrate';
import type { Sql } from './sql';
import { ensureSuperAdmin } from '../users/store';
import type { Logger } from '../log/logger';

/**
 * Migrations, then the first super admin. Without BOOKIT_ADMIN_* outside production, a development
 * admin is made with a generated password kept in the data dir (never printed).
 */
export async function prepareDatabase(config: Config, sql: Sql, logger: Logger): Promise<void> {
  const applied = await migrate(sql);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const admin = config.auth.admin ?? developmentAdmin(config);
  if (!admin) {
    logger.warn('no BOOKIT_ADMIN_EMAIL/BOOKIT_ADMIN_PASSWORD set; no super admin is created');
    return;
  }
  if (
    await ensureSuperAdmin(sql, {
      email: admin.email,
      passwordHash: await hashPassword(admin.password, config.auth.passwordHashCost),
    })
  ) {
    logger.info({ passwordFile: 'passwordFile' in admin ? admin.passwordFile : undefined }, 'super admin created');
  }
}

function developmentAdmin(config: Config): { email: string; password: string; passwordFile: string } | undefined {
  if (config.env === 'production') return undefined;
  const passwordFile = path.join(config.dataDir, 'admin-password');
  const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : generatePassword();
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, password, { mode: 0o600 });
  return { email: 'admin@bookit.local', password, passwordFile };
}
