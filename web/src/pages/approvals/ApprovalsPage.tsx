// The approval queue: posts awaiting approval by proposed time, filterable by account, each with
// the agents' reasoning when they wrote it. People with post:publish approve (at the proposed
// time, or one they choose), edit then approve, or reject with a reason the agents read.

import { useCallback, useEffect, useId, useState } from 'react';
import { approvals, type QueueEntry } from '../../api/approvals';
import { localZone, publishing, type Account } from '../../api/publishing';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { ApprovalCard } from './ApprovalCard';

export function ApprovalsPage({ workspace, canPublish }: { workspace: string; canPublish: boolean }) {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [accountId, setAccountId] = useState('');
  const [entries, setEntries] = useState<QueueEntry[] | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [done, setDone] = useState<string | null>(null);
  const zone = localZone();
  const id = useId();

  useEffect(() => {
    publishing.accounts(workspace).then(setAccounts, () => setAccounts([]));
  }, [workspace]);

  const load = useCallback(() => {
    setEntries(null);
    setProblem(noProblem);
    approvals.queue(workspace, accountId || undefined).then(setEntries, (e) => {
      setEntries([]);
      setProblem(problemOf(e));
    });
  }, [workspace, accountId]);

  useEffect(load, [load]);

  /** After a 409 the queue is read again in place; a post decided meanwhile leaves it, and says why. */
  async function reloadAfterConflict(postId: string, message: string) {
    try {
      const list = await approvals.queue(workspace, accountId || undefined);
      setEntries(list);
      if (!list.some((e) => e.post.id === postId)) setProblem({ message: `${/[.!?]$/.test(message) ? message : `${message}.`} It has left the queue.`, fields: {} });
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  function finished(postId: string, message: string) {
    setEntries((list) => (list ?? []).filter((e) => e.post.id !== postId));
    setDone(message);
  }

  return (
    <section className="panel approvals" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Awaiting approval</h2>
      {!canPublish && (
        <p className="small" id={`${id}-rights`}>
          You can read this queue, but approving and rejecting posts needs the post:publish permission (owners, admins and managers have it).
        </p>
      )}
      <div className="inline">
        <div className="field">
          <label htmlFor={`${id}-account`}>Account</label>
          <select id={`${id}-account`} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.networkLabel} @{a.handle}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={load}>
          Refresh
        </button>
      </div>
      <p className="small">Times are shown in your time zone, {zone}.</p>
      {done && <Alert tone="info">{done}</Alert>}
      <ProblemAlert problem={problem} />
      {entries === null ? (
        <p role="status">Loading…</p>
      ) : entries.length === 0 ? (
        !problem.message && <p>Nothing is waiting for approval{accountId ? ' for this account' : ''}.</p>
      ) : (
        <ul className="approval-list" aria-label="Posts awaiting approval">
          {entries.map((entry) => (
            <ApprovalCard
              key={entry.post.id}
              workspace={workspace}
              entry={entry}
              accounts={accounts}
              zone={zone}
              canPublish={canPublish}
              onDone={(message) => finished(entry.post.id, message)}
              onStale={(message) => void reloadAfterConflict(entry.post.id, message)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
