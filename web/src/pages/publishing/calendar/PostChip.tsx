// One post on the calendar: networks, time, text and status. A scheduled post can be dragged to
// another day, or moved with the keyboard through its "Move" form (same time of day, same zone).

import { useId, useState, type FormEvent } from 'react';
import type { Post } from '../../../api/publishing';
import { wallTime } from './dates';

export const DRAG_TYPE = 'application/x-zenalto-post';

interface ChipProps {
  post: Post;
  zone: string;
  long?: boolean;
  onMove: (post: Post, day: string) => void;
  /** In the list: whether the post is picked for a bulk action, and how to pick it. */
  selection?: { selected: boolean; toggle: () => void };
}

export function PostChip({ post, zone, long = false, onMove, selection }: ChipProps) {
  const [moving, setMoving] = useState(false);
  const [day, setDay] = useState('');
  const id = useId();
  const at = post.scheduledAt ? new Date(post.scheduledAt) : null;
  const time = at ? at.toLocaleString(undefined, long ? { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' } : { timeZone: zone, timeStyle: 'short' }) : '';
  const text = String((post.content as { text?: string }).text ?? '');
  const movable = post.status === 'scheduled' && post.scheduledAt;
  const Tag = long ? 'li' : 'div';

  function move(event: FormEvent) {
    event.preventDefault();
    if (day) onMove(post, day);
    setMoving(false);
  }

  return (
    <Tag
      className={`chip status-${post.status}${movable ? ' chip-movable' : ''}`}
      draggable={movable ? true : undefined}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, post.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      {selection && (
        <input type="checkbox" className="pick" checked={selection.selected} onChange={selection.toggle} aria-label={`Select “${text.slice(0, 30)}”`} />
      )}
      {post.targets.map((t) => (
        <span key={t.id} className={`network-dot network-${t.network}`} title={t.network} aria-hidden="true" />
      ))}
      <span className="chip-time">{time}</span> <span className="chip-text">{text.length > 40 ? `${text.slice(0, 40)}…` : text}</span>{' '}
      <span className={`badge badge-${post.status}`}>{post.status.replace('_', ' ')}</span>
      {movable && (
        <button type="button" className="link" aria-expanded={moving} aria-controls={`${id}-move`} onClick={() => setMoving((m) => !m)}>
          Move<span className="visually-hidden"> “{text.slice(0, 30)}”</span>
        </button>
      )}
      {moving && post.scheduledAt && (
        <form id={`${id}-move`} className="move" onSubmit={move}>
          <label htmlFor={`${id}-day`}>New day (at {wallTime(post.scheduledAt, zone)})</label>
          <input id={`${id}-day`} type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
          <button type="submit">Move</button>
        </form>
      )}
    </Tag>
  );
}
