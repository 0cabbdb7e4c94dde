import ICAL from 'ical.js';
import type { ReceivedEmail } from './mailbox';

/** A calendar as an independent parser (ical.js) reads it, with its VTIMEZONEs registered. */
export interface ParsedCalendar {
  method: string | null;
  events: ParsedEvent[];
}

export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  summary: string;
  /** The TZID parameter of DTSTART, or null for a UTC time. */
  tzid: string | null;
  /** DTSTART's wall clock as written, e.g. 2031-01-10T10:00:00. */
  localStart: string;
  start: Date;
  end: Date;
  organizer: string | null;
  attendees: string[];
}

export function parseCalendar(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((component): ParsedEvent => {
    const event = new ICAL.Event(component);
    const dtstart = component.getFirstProperty('dtstart');
    const tzid = dtstart?.getParameter('tzid');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: stringOf(component.getFirstPropertyValue('status')),
      summary: event.summary,
      tzid: typeof tzid === 'string' ? tzid : null,
      localStart: event.startDate.toString(),
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      organizer: stringOf(component.getFirstPropertyValue('organizer')),
      attendees: component.getAllProperties('attendee').map((property) => String(property.getFirstValue())),
    };
  });
  return { method: stringOf(calendar.getFirstPropertyValue('method')), events };
}

const stringOf = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** What MailDev holds of an email's invitation: the raw MIME source, and the attached invite.ics. */
export interface ReceivedInvitation {
  source: string;
  attachment: { filename: string; contentType: string; content: string };
}

/** The invite.ics of an email MailDev received, read through its REST API; null when it has none. */
export async function invitationOf(mailDevUrl: string, mail: ReceivedEmail): Promise<ReceivedInvitation | null> {
  const full = (await (await fetch(`${mailDevUrl}/api/email/${mail.id}`)).json()) as {
    attachments?: Array<{ filename: string; generatedFileName: string; contentType: string }>;
  };
  const source = await (await fetch(`${mailDevUrl}/api/email/${mail.id}/source`)).text();
  const found = (full.attachments ?? []).find((attachment) => attachment.filename === 'invite.ics');
  if (!found) return null;
  const content = await (
    await fetch(`${mailDevUrl}/api/email/${mail.id}/attachment/${encodeURIComponent(found.generatedFileName)}`)
  ).text();
  return { source, attachment: { filename: found.filename, contentType: found.contentType, content } };
}
