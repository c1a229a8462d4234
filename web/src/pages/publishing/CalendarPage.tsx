// The calendar: a month grid (Monday first) or a list, in the browser's time zone, coloured by
// network with a status badge per post, filtered by status. Status changes arrive live over the
// server's WebSocket (a one-minute ticket, then `…/events`); each event reloads the range.

import { useCallback, useEffect, useState } from 'react';
import { localZone, publishing, type CalendarResponse, type Post } from '../../api/publishing';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

const STATUSES = ['all', 'draft', 'scheduled', 'publishing', 'published', 'partially_published', 'failed'] as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RECONNECT_MS = 3000;

type Live = 'connecting' | 'live' | 'offline';

export function CalendarPage({ workspace }: { workspace: string }) {
  const zone = localZone();
  const [month, setMonth] = useState(() => firstOfMonth(new Date()));
  const [view, setView] = useState<'month' | 'list'>('month');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all');
  const [data, setData] = useState<CalendarResponse | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [live, setLive] = useState<Live>('connecting');
  const days = gridDays(month);

  const load = useCallback(() => {
    const grid = gridDays(month);
    const from = grid[0];
    const to = addDays(grid[grid.length - 1], 1);
    publishing.calendar(workspace, from, to, zone).then(
      (d) => {
        setData(d);
        setProblem(noProblem);
      },
      (e) => setProblem(problemOf(e)),
    );
  }, [workspace, month, zone]);
  useEffect(load, [load]);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let reload: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      setLive('connecting');
      try {
        const ticket = await publishing.ticket(workspace);
        if (stopped) return;
        const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
        socket = new WebSocket(`${scheme}://${window.location.host}${ticket.path}`);
        socket.onopen = () => setLive('live');
        socket.onmessage = () => {
          clearTimeout(reload);
          reload = setTimeout(load, 200);
        };
        socket.onclose = () => {
          setLive('offline');
          if (!stopped) retry = setTimeout(connect, RECONNECT_MS);
        };
      } catch {
        setLive('offline');
        if (!stopped) retry = setTimeout(connect, RECONNECT_MS);
      }
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(reload);
      socket?.close();
    };
  }, [workspace, load]);

  const byDay = new Map<string, Post[]>();
  for (const group of data?.groups ?? []) {
    byDay.set(group.key, group.posts.filter((p) => status === 'all' || p.status === status));
  }
  const title = month.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });

  return (
    <section className="panel calendar" aria-labelledby="calendar-title">
      <div className="calendar-bar">
        <h2 id="calendar-title">{title}</h2>
        <button type="button" className="secondary" onClick={() => setMonth((m) => addMonths(m, -1))} aria-label="Previous month">
          ‹
        </button>
        <button type="button" className="secondary" onClick={() => setMonth(firstOfMonth(new Date()))}>
          Today
        </button>
        <button type="button" className="secondary" onClick={() => setMonth((m) => addMonths(m, 1))} aria-label="Next month">
          ›
        </button>
        <label className="inline-label">
          View{' '}
          <select value={view} onChange={(e) => setView(e.target.value as 'month' | 'list')}>
            <option value="month">Month</option>
            <option value="list">List</option>
          </select>
        </label>
        <label className="inline-label">
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <span className={`live live-${live}`} role="status">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline, retrying'}
        </span>
      </div>
      <p className="small">Times in {zone}.</p>
      <ProblemAlert problem={problem} />
      {data === null ? (
        <p role="status">Loading…</p>
      ) : view === 'month' ? (
        <div className="month" role="grid" aria-label={title}>
          <div role="row" className="month-row">
            {WEEKDAYS.map((d) => (
              <div role="columnheader" key={d} className="weekday">
                {d}
              </div>
            ))}
          </div>
          {weeks(days).map((week) => (
            <div role="row" className="month-row" key={dayKey(week[0])}>
              {week.map((day) => (
                <div role="gridcell" key={dayKey(day)} className={day.getMonth() === month.getMonth() ? 'day' : 'day day-other'} aria-label={day.toDateString()}>
                  <span className="day-number">{day.getDate()}</span>
                  {(byDay.get(dayKey(day)) ?? []).map((post) => (
                    <PostChip key={post.id} post={post} zone={zone} />
                  ))}
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : (
        <ul className="post-list" aria-label="Posts">
          {[...byDay.values()].flat().length === 0 && <li>No posts in this month.</li>}
          {[...byDay.entries()].flatMap(([, posts]) => posts.map((post) => <PostChip key={post.id} post={post} zone={zone} long />))}
        </ul>
      )}
    </section>
  );
}

function PostChip({ post, zone, long = false }: { post: Post; zone: string; long?: boolean }) {
  const at = post.scheduledAt ? new Date(post.scheduledAt) : null;
  const time = at ? at.toLocaleString(undefined, long ? { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' } : { timeZone: zone, timeStyle: 'short' }) : '';
  const text = String((post.content as { text?: string }).text ?? '');
  const Tag = long ? 'li' : 'div';
  return (
    <Tag className={`chip status-${post.status}`}>
      {post.targets.map((t) => (
        <span key={t.id} className={`network-dot network-${t.network}`} title={t.network} aria-hidden="true" />
      ))}
      <span className="chip-time">{time}</span> <span className="chip-text">{text.length > 40 ? `${text.slice(0, 40)}…` : text}</span>{' '}
      <span className={`badge badge-${post.status}`}>{post.status.replace('_', ' ')}</span>
    </Tag>
  );
}

function firstOfMonth(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), 1);
}

function addMonths(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth() + n, 1);
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

/** Six weeks from the Monday on or before the first of the month. */
function gridDays(month: Date): Date[] {
  const offset = (month.getDay() + 6) % 7;
  const start = addDays(month, -offset);
  return Array.from({ length: 42 }, (_, i) => addDays(start, i));
}

function weeks(days: Date[]): Date[][] {
  return Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7));
}

/** The calendar API's day key (`2026-12-03`) for a local date. */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
