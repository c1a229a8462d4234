// Connected accounts: the list with each account's network, and connecting a sandbox account
// (real networks connect through OAuth, which arrives with the network connectors).

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { publishing, type Account } from '../../api/publishing';
import { Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function AccountsPage({ workspace, canConnect }: { workspace: string; canConnect: boolean }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [handle, setHandle] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    publishing.accounts(workspace).then(setAccounts, (e) => setProblem(problemOf(e)));
  }, [workspace]);
  useEffect(load, [load]);

  async function connect(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(noProblem);
    try {
      await publishing.connectSandbox(workspace, handle.trim());
      setHandle('');
      load();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Connected accounts</h2>
      {accounts === null ? (
        <p role="status">Loading…</p>
      ) : accounts.length === 0 ? (
        <p>No accounts yet. Connect a sandbox account to try the whole flow without credentials.</p>
      ) : (
        <ul className="accounts">
          {accounts.map((a) => (
            <li key={a.id}>
              <span className={`network-dot network-${a.network}`} aria-hidden="true" />
              <strong>{a.displayName}</strong> <span className="small">@{a.handle}</span> <span className="badge">{a.networkLabel}</span>
              {a.sandbox && <span className="badge badge-sandbox">sandbox: posts stay in Zenalto</span>}
            </li>
          ))}
        </ul>
      )}
      {canConnect && (
        <form onSubmit={connect} className="inline" aria-label="Connect a sandbox account" noValidate>
          <Field label="Sandbox handle" value={handle} onChange={(e) => setHandle(e.target.value)} error={problem.fields.handle} required />
          <button type="submit" disabled={busy}>
            Connect sandbox account
          </button>
        </form>
      )}
      <ProblemAlert problem={problem} />
    </section>
  );
}
