// The notices room: every notice BookIT sends is declared here (kinds/), planned from one load of
// its rows, recorded in-app and delivered by email and webhook through one pipeline. Nothing
// outside this folder sends an email or writes an in-app notification (test/architecture.test.ts).
export { NOTICE_KINDS } from './catalogue';
export type { NoticeDeps } from './email-delivery';
export type { BroadcastBatch, NewNotification } from './inbox';
export type { NoticeMessage, NoticePlan } from './kind';
export type { BookingNotice, EmailOutcome, Notice, NoticeKindName } from '../contracts/notice';
export { noticesPipeline, type NoticesPipeline } from './pipeline';
