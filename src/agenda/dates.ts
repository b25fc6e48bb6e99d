/** The local dates from `start` to `end` inclusive (YYYY-MM-DD strings, calendar arithmetic in UTC). */
export function datesBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${start}T00:00:00Z`); d <= new Date(`${end}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
