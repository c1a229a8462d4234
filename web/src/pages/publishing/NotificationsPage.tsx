// In-app notifications: a post published, partly published or failed. Also sent by e-mail.

import { useCallback, useEffect, useState } from 'react';
import { inbox, type Notification } from '../../api/publishing';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function NotificationsPage({ workspace }: { workspace: string }) {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [problem, setProblem] = useState<Problem>(noProblem);

  const load = useCallback(() => {
    inbox.notifications(workspace, unreadOnly).then((page) => setItems(page.items), (e) => setProblem(problemOf(e)));
  }, [workspace, unreadOnly]);
  useEffect(load, [load]);

  async function markRead(id: string) {
    try {
      await inbox.markRead(workspace, id);
      load();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <label className="check">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> Unread only
      </label>
      <ProblemAlert problem={problem} />
      {items === null ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p>Nothing here yet. You will hear when a post goes out or fails.</p>
      ) : (
        <ul className="notifications">
          {items.map((n) => (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              <strong>{n.title}</strong> <span className="small">{new Date(n.createdAt).toLocaleString()}</span>
              <p className="post-text">{n.body}</p>
              {!n.read && (
                <button type="button" className="secondary" onClick={() => markRead(n.id)}>
                  Mark as read<span className="visually-hidden">: {n.title}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
