// Local-date arithmetic for the calendar grid. Dates here are the browser's local midnights; the
// API is asked for the same days in the browser's IANA zone, so its day keys match.

export type View = 'month' | 'week' | 'day' | 'list';

export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

export function firstOfMonth(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), 1);
}

export function mondayOf(d: Date): Date {
  return addDays(new Date(d.getFullYear(), d.getMonth(), d.getDate()), -((d.getDay() + 6) % 7));
}

/** The days a view shows around `anchor`: six weeks for a month (Monday first), seven, or one. */
export function daysOf(view: View, anchor: Date): Date[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(mondayOf(anchor), i));
  if (view === 'day') return [new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate())];
  const start = mondayOf(firstOfMonth(anchor));
  return Array.from({ length: 42 }, (_, i) => addDays(start, i));
}

/** Moves the anchor one period of the view forward or back. */
export function step(view: View, anchor: Date, direction: 1 | -1): Date {
  if (view === 'week') return addDays(anchor, 7 * direction);
  if (view === 'day') return addDays(anchor, direction);
  return new Date(anchor.getFullYear(), anchor.getMonth() + direction, 1);
}

export function weeks(days: Date[]): Date[][] {
  return Array.from({ length: Math.ceil(days.length / 7) }, (_, i) => days.slice(i * 7, i * 7 + 7));
}

/** The calendar API's day key (`2026-12-03`) for a local date. */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The wall-clock time (`09:30`) of an instant in `zone`. */
export function wallTime(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

export function title(view: View, anchor: Date): string {
  if (view === 'day') return anchor.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (view === 'week') return `Week of ${mondayOf(anchor).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}`;
  return anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}
