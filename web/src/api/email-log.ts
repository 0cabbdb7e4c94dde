import { fetchPage, withQuery, type Page } from './page';
import type { EmailLogEntry, EmailStatus } from './types';

export const emailLogUrl = (status: EmailStatus | '', limit: number) =>
  withQuery('/api/admin/emails', { status, limit });

export const listEmailLog = (url: string): Promise<Page<EmailLogEntry>> => fetchPage<EmailLogEntry>(url);
