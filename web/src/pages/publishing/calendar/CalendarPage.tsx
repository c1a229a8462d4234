// The calendar: month, week, day or list, in the browser's time zone, coloured by network with a
// status badge per post, filtered by status. A scheduled post moves to another day by drag and
// drop (or its "Move" form), keeping its time of day. Status changes arrive live over the
// server's WebSocket (a one-minute ticket, then `…/events`); each event reloads the range. The
// list view selects posts for bulk unschedule or delete, with a result per post.

import { useCallback, useEffect, useState } from 'react';
import { localZone, publishing, type BulkAction, type CalendarResponse, type Post } from '../../../api/publishing';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../../components/forms';
import { addDays, dayKey, daysOf, step, title, wallTime, weeks, type View } from './dates';
import { DRAG_TYPE, PostChip } from './PostChip';

const STATUSES = ['all', 'draft', 'scheduled', 'publishing', 'published', 'partially_published', 'failed'] as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RECONNECT_MS = 3000;

type Live = 'connecting' | 'live' | 'offline';

export function CalendarPage({ workspace }: { workspace: string }) {
  const zone = localZone();
  const [anchor, setAnchor] = useState(() => new Date());
  const [view, setView] = useState<View>('month');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all');
  const [data, setData] = useState<CalendarResponse | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [moved, setMoved] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [live, setLive] = useState<Live>('connecting');
  const days = daysOf(view === 'list' ? 'month' : view, anchor);
  const first = dayKey(days[0]);
  const last = dayKey(days[days.length - 1]);

  const load = useCallback(() => {
    const [from, to] = [parseDay(first), addDays(parseDay(last), 1)];
    publishing.calendar(workspace, from, to, zone).then(
      (d) => setData(d),
      (e) => setProblem(problemOf(e)),
    );
  }, [workspace, first, last, zone]);
  useEffect(load, [load]);

  useEffect(() => liveUpdates(workspace, load, setLive), [workspace, load]);

  async function move(post: Post, day: string) {
    if (!post.scheduledAt) return;
    setProblem(noProblem);
    setMoved(null);
    try {
      const localTime = `${day}T${wallTime(post.scheduledAt, zone)}`;
      await publishing.schedule(workspace, post.id, { localTime, timeZone: zone });
      setMoved(`Moved to ${parseDay(day).toLocaleDateString(undefined, { dateStyle: 'full' })}.`);
      load();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function bulk(action: BulkAction) {
    setProblem(noProblem);
    setMoved(null);
    try {
      const { results } = await publishing.bulk(workspace, action, selected);
      const failed = results.filter((r) => !r.ok);
      const verb = action === 'delete' ? 'Deleted' : 'Unscheduled';
      setMoved(
        `${verb} ${results.length - failed.length} of ${results.length}.` + (failed.length ? ` Not done: ${failed.map((r) => r.error?.message).join('; ')}` : ''),
      );
      setSelected([]);
      load();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  const byDay = new Map<string, Post[]>();
  for (const group of data?.groups ?? []) {
    byDay.set(group.key, group.posts.filter((p) => status === 'all' || p.status === status));
  }
  const heading = title(view === 'list' ? 'month' : view, anchor);
  const dayCell = (day: Date, outside: boolean) => (
    <div
      role="gridcell"
      key={dayKey(day)}
      className={outside ? 'day day-other' : 'day'}
      aria-label={day.toDateString()}
      onDragOver={(e) => e.dataTransfer.types.includes(DRAG_TYPE) && e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const post = data?.groups.flatMap((g) => g.posts).find((p) => p.id === e.dataTransfer.getData(DRAG_TYPE));
        if (post) move(post, dayKey(day));
      }}
    >
      <span className="day-number">{view === 'month' ? day.getDate() : day.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })}</span>
      {(byDay.get(dayKey(day)) ?? []).map((post) => (
        <PostChip key={post.id} post={post} zone={zone} onMove={move} />
      ))}
    </div>
  );

  return (
    <section className="panel calendar" aria-labelledby="calendar-title">
      <div className="calendar-bar">
        <h2 id="calendar-title">{heading}</h2>
        <button type="button" className="secondary" onClick={() => setAnchor((a) => step(view === 'list' ? 'month' : view, a, -1))} aria-label="Previous">
          ‹
        </button>
        <button type="button" className="secondary" onClick={() => setAnchor(new Date())}>
          Today
        </button>
        <button type="button" className="secondary" onClick={() => setAnchor((a) => step(view === 'list' ? 'month' : view, a, 1))} aria-label="Next">
          ›
        </button>
        <label className="inline-label">
          View{' '}
          <select value={view} onChange={(e) => setView(e.target.value as View)}>
            <option value="month">Month</option>
            <option value="week">Week</option>
            <option value="day">Day</option>
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
      <p className="small">Times in {zone}. Drag a scheduled post to another day, or use its Move button.</p>
      <ProblemAlert problem={problem} />
      {moved && <Alert tone="info">{moved}</Alert>}
      {data === null ? (
        <p role="status">Loading…</p>
      ) : view === 'list' ? (
        <>
          <div className="actions" role="toolbar" aria-label="Selected posts">
            <span className="small">{selected.length} selected</span>
            <button type="button" className="secondary" disabled={selected.length === 0} onClick={() => bulk('unschedule')}>
              Unschedule selected
            </button>
            <button type="button" className="secondary" disabled={selected.length === 0} onClick={() => bulk('delete')}>
              Delete selected
            </button>
          </div>
          <ul className="post-list" aria-label="Posts">
            {[...byDay.values()].flat().length === 0 && <li>No posts in this month.</li>}
            {[...byDay.values()].flatMap((posts) =>
              posts.map((post) => (
                <PostChip
                  key={post.id}
                  post={post}
                  zone={zone}
                  long
                  onMove={move}
                  selection={{
                    selected: selected.includes(post.id),
                    toggle: () => setSelected((s) => (s.includes(post.id) ? s.filter((id) => id !== post.id) : [...s, post.id])),
                  }}
                />
              )),
            )}
          </ul>
        </>
      ) : (
        <div className={`month view-${view}`} role="grid" aria-label={heading}>
          {view === 'month' && (
            <div role="row" className="month-row">
              {WEEKDAYS.map((d) => (
                <div role="columnheader" key={d} className="weekday">
                  {d}
                </div>
              ))}
            </div>
          )}
          {weeks(days).map((week) => (
            <div role="row" className={view === 'day' ? 'day-row' : 'month-row'} key={dayKey(week[0])}>
              {week.map((day) => dayCell(day, view === 'month' && day.getMonth() !== anchor.getMonth()))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function parseDay(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** Reloads on every event of the workspace's WebSocket, reconnecting when it drops. */
function liveUpdates(workspace: string, reload: () => void, setLive: (l: Live) => void): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    setLive('connecting');
    try {
      const ticket = await publishing.ticket(workspace);
      if (stopped) return;
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${window.location.host}${ticket.path}`);
      socket.onopen = () => setLive('live');
      socket.onmessage = () => {
        // Events come in bursts (target, then post): one reload for the burst.
        clearTimeout(pending);
        pending = setTimeout(reload, 200);
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
    clearTimeout(pending);
    socket?.close();
  };
}
