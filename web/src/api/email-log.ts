import { urlFor } from './contract';
import { fetchPage, type Page } from './page';
import type { EmailLogEntry, EmailStatus } from './types';

export const emailLogUrl = (status: EmailStatus | '', limit: number) =>
  urlFor('/api/admin/emails', { query: { status: status || undefined, limit } });

export const listEmailLog = (url: string): Promise<Page<EmailLogEntry>> => fetchPage<EmailLogEntry>(url);
