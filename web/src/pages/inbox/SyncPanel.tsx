// "Sync now" per connected account (the server also fetches every five minutes). The sandbox has no
// inbox, so only real network accounts are offered.

import { useEffect, useState } from 'react';
import { inbox } from '../../api/inbox';
import { publishing, type Account } from '../../api/publishing';
import { problemOf } from '../../components/forms';

interface Status {
  busy: boolean;
  text: string | null;
  failed: boolean;
}

export function SyncPanel({ workspace, canSync, onSynced }: { workspace: string; canSync: boolean; onSynced: () => void }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [status, setStatus] = useState<Record<string, Status>>({});

  useEffect(() => {
    publishing.accounts(workspace).then(
      (list) => setAccounts(list.filter((a) => !a.sandbox)),
      () => setAccounts([]),
    );
  }, [workspace]);

  async function sync(account: Account) {
    const set = (s: Status) => setStatus((all) => ({ ...all, [account.id]: s }));
    set({ busy: true, text: 'Syncing…', failed: false });
    try {
      const result = await inbox.sync(workspace, account.id);
      set({ busy: false, text: result.newItems === 0 ? 'Nothing new.' : `${result.newItems} new item${result.newItems === 1 ? '' : 's'}.`, failed: false });
      onSynced();
    } catch (e) {
      set({ busy: false, text: problemOf(e).message, failed: true });
    }
  }

  if (!canSync || accounts === null || accounts.length === 0) return null;
  return (
    <section className="inbox-sync" aria-label="Sync accounts">
      <ul>
        {accounts.map((a) => {
          const s = status[a.id];
          return (
            <li key={a.id}>
              <span>
                {a.networkLabel} · @{a.handle}
              </span>{' '}
              <button type="button" className="secondary" disabled={s?.busy} onClick={() => sync(a)} aria-label={`Sync ${a.networkLabel} @${a.handle} now`}>
                Sync now
              </button>{' '}
              {s?.text && (
                <span className={s.failed ? 'field-error' : 'small'} role={s.failed ? 'alert' : 'status'}>
                  {s.text}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
