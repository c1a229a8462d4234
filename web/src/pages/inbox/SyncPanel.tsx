// "Sync now" per connected account (the server also fetches every five minutes). The sandbox has no
// inbox, so only real network accounts are offered.

import { useState } from 'react';
import { inbox } from '../../api/inbox';
import type { Account } from '../../api/publishing';
import { problemOf } from '../../components/forms';

interface Status {
  busy: boolean;
  text: string | null;
  failed: boolean;
}

interface Props {
  workspace: string;
  /** The workspace's real network accounts (not the sandbox). */
  accounts: Account[];
  canSync: boolean;
  onSynced: () => void;
}

export function SyncPanel({ workspace, accounts, canSync, onSynced }: Props) {
  const [status, setStatus] = useState<Record<string, Status>>({});

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

  if (!canSync || accounts.length === 0) return null;
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
