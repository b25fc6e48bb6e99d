import { create } from 'xmlbuilder2';
import type { ScheduleEvent, ScheduleModel } from './c3voc';

type XMLBuilder = ReturnType<typeof create>;

// The XSD's slug pattern (`voc-slug-new`); the element is optional, so a slug that does not fit
// is left out rather than made up.
const XML_SLUG = /^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$/;

function event(room: XMLBuilder, e: ScheduleEvent): void {
  const node = room.ele('event', { id: String(e.id), guid: e.guid });
  node.ele('date').txt(e.date);
  node.ele('start').txt(e.start);
  node.ele('duration').txt(e.duration);
  node.ele('room').txt(e.room);
  if (XML_SLUG.test(e.slug)) node.ele('slug').txt(e.slug);
  node.ele('url').txt(e.url);
  node.ele('title').txt(e.title);
  node.ele('subtitle');
  node.ele('track').txt(e.track ?? '');
  node.ele('type').txt(e.type);
  node.ele('language').txt(e.language);
  node.ele('abstract').txt(e.abstract);
  node.ele('description').txt(e.description);
  const recording = node.ele('recording');
  recording.ele('license');
  // Nothing to record at a session that does not take place.
  recording.ele('optout').txt(String(e.cancelled));
  const persons = node.ele('persons');
  for (const p of e.persons) persons.ele('person', { id: String(p.id), guid: p.guid }).txt(p.name);
  node.ele('links');
  node.ele('attachments');
}

/** The frab schedule XML, valid against c3voc's schedule.xml.xsd. */
export function renderFrabXml(model: ScheduleModel): string {
  // xmlbuilder2 escapes text and attributes; characters XML cannot hold at all are dropped.
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('schedule');
  root.ele('generator', { name: 'forum-portal' });
  root.ele('version').txt(model.version);
  const conference = root.ele('conference');
  conference.ele('acronym').txt(model.acronym);
  conference.ele('title').txt(model.title);
  conference.ele('start').txt(model.start);
  conference.ele('end').txt(model.end);
  conference.ele('days').txt(String(model.days.length));
  conference.ele('timeslot_duration').txt(model.timeslotDuration);
  if (model.url) conference.ele('url').txt(model.url);
  conference.ele('time_zone_name').txt(model.timeZone);
  for (const track of model.tracks) conference.ele('track', { name: track });
  for (const day of model.days) {
    const dayNode = root.ele('day', { index: String(day.index), date: day.date, start: day.start, end: day.end });
    for (const room of day.rooms) {
      const guid = model.rooms.find((r) => r.name === room.name)?.guid;
      const roomNode = dayNode.ele('room', guid ? { name: room.name, guid } : { name: room.name });
      for (const e of room.events) event(roomNode, e);
    }
  }
  return root.end({ prettyPrint: true });
}
