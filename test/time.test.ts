import { toZonedIso } from '../src/shared/time';

describe('toZonedIso', () => {
  it('uses the offset the zone had at that moment', () => {
    // Asia/Almaty moved from UTC+6 to UTC+5 on 2024-03-01.
    expect(toZonedIso(new Date('2022-12-20T04:00:00Z'), 'Asia/Almaty')).toBe('2022-12-20T10:00:00+06:00');
    expect(toZonedIso(new Date('2025-04-16T05:00:00Z'), 'Asia/Almaty')).toBe('2025-04-16T10:00:00+05:00');
  });

  it('crosses midnight into the local date and handles UTC and negative offsets', () => {
    expect(toZonedIso(new Date('2025-04-16T20:30:00Z'), 'Asia/Almaty')).toBe('2025-04-17T01:30:00+05:00');
    expect(toZonedIso(new Date('2025-04-16T20:30:00Z'), 'UTC')).toBe('2025-04-16T20:30:00+00:00');
    expect(toZonedIso(new Date('2025-01-10T15:00:00Z'), 'America/New_York')).toBe('2025-01-10T10:00:00-05:00');
  });
});
