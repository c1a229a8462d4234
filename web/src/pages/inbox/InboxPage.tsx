// The team inbox: conversations from the connected networks beside the open one, filters by kind
// and unread, and "sync now" per account. The sandbox has no inbox, which the empty state says.

import { useCallback, useEffect, useId, useState } from 'react';
import { inbox, type Conversation } from '../../api/inbox';
import { publishing, type Account } from '../../api/publishing';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { navigate } from '../../router';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { SyncPanel } from './SyncPanel';

export function InboxPage({ workspace, canReply }: { workspace: string; canReply: boolean }) {
  const [items, setItems] = useState<Conversation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [accountId, setAccountId] = useState('');
  const [kind, setKind] = useState('');
  const [unread, setUnread] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  const load = useCallback(
    (cursor?: string) => {
      inbox.conversations(workspace, { accountId, kind, unread, cursor }).then(
        (page) => {
          setProblem(noProblem);
          setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
          setNext(page.nextCursor ?? null);
        },
        (e) => {
          setItems((old) => old ?? []);
          setProblem(problemOf(e));
        },
      );
    },
    [workspace, accountId, kind, unread],
  );
  useEffect(() => load(), [load]);

  useEffect(() => {
    publishing.accounts(workspace).then(
      (list) => setAccounts(list.filter((a) => !a.sandbox)),
      () => setAccounts([]),
    );
  }, [workspace]);

  const changed = (c: Conversation) => setItems((list) => list?.map((x) => (x.id === c.id ? c : x)) ?? null);
  const filtered = accountId !== '' || kind !== '' || unread;

  return (
    <section className="panel inbox" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Inbox</h2>
      <SyncPanel workspace={workspace} accounts={accounts} canSync={canReply} onSynced={() => load()} />
      <div className="inline">
        {accounts.length > 1 && (
          <label className="inline-label">
            Account{' '}
            <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">all accounts</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.networkLabel} @{a.handle}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="inline-label">
          Show{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">everything</option>
            <option value="comments">comments and mentions</option>
            <option value="direct">direct messages</option>
          </select>
        </label>
        <label className="inline-label">
          <input type="checkbox" className="pick" checked={unread} onChange={(e) => setUnread(e.target.checked)} />
          Unread only
        </label>
      </div>
      <ProblemAlert problem={problem} />
      {items === null ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        filtered ? (
          <p>No conversations match.</p>
        ) : (
          <div className="empty">
            <p>
              <strong>No conversations yet.</strong>
            </p>
            <p>
              Comments, mentions and direct messages from your connected accounts show up here, fetched every five minutes. The sandbox network has no
              inbox, so it stays empty until a real network account is connected.
            </p>
            <p>
              <a
                href="/accounts"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('/accounts');
                }}
              >
                Connect an account
              </a>
            </p>
          </div>
        )
      ) : (
        <div className="inbox-layout">
          <div>
            <ConversationList items={items} current={open} onOpen={(c) => setOpen(c.id)} />
            {next && (
              <button type="button" className="secondary" onClick={() => load(next)}>
                Load more
              </button>
            )}
          </div>
          {open ? <ConversationView workspace={workspace} id={open} canReply={canReply} onChanged={changed} /> : <p className="small">Pick a conversation to read it.</p>}
        </div>
      )}
    </section>
  );
}
