// Where a network sends the person back after they authorized Zenalto: the code and state go to
// the API in this same session (the state is bound to it). A grant with several accounts (Meta
// Pages, LinkedIn organizations) asks which ones to connect.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { connections, type PendingView } from '../../api/connections';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { navigate } from '../../router';

export function ConnectCallback({ workspace, params }: { workspace: string; params: URLSearchParams }) {
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [pending, setPending] = useState<PendingView | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const ws = connections.startedIn(workspace);
  const once = useRef(false);

  useEffect(() => {
    // The code is single use: never post it twice (React runs effects twice in development).
    if (once.current) return;
    once.current = true;
    const denied = params.get('error');
    if (denied) {
      setProblem({ message: `The network did not grant access: ${params.get('error_description') ?? denied}.`, fields: {} });
      return;
    }
    const state = params.get('state') ?? '';
    const code = params.get('code') ?? '';
    connections.complete(ws, state, code).then(
      (done) => {
        if (done.pending) {
          setPending(done.pending);
          setPicked(done.pending.candidates.map((c) => c.platformAccountId));
        } else {
          navigate('/accounts');
        }
      },
      (e) => setProblem(problemOf(e)),
    );
  }, [params, ws]);

  async function select(event: FormEvent) {
    event.preventDefault();
    if (!pending) return;
    setBusy(true);
    try {
      await connections.select(ws, pending.id, picked);
      navigate('/accounts');
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="callback-title">
      <h2 id="callback-title">Connecting an account</h2>
      {!pending && !problem.message && <p role="status">Finishing the connection…</p>}
      {pending && (
        <form onSubmit={select} aria-label="Choose accounts to connect">
          <p>This grant gives access to several accounts. Choose the ones Zenalto should publish to.</p>
          <ul className="accounts">
            {pending.candidates.map((c) => (
              <li key={c.platformAccountId}>
                <label>
                  <input
                    type="checkbox"
                    checked={picked.includes(c.platformAccountId)}
                    onChange={(e) =>
                      setPicked((p) => (e.target.checked ? [...p, c.platformAccountId] : p.filter((id) => id !== c.platformAccountId)))
                    }
                  />{' '}
                  <strong>{c.displayName}</strong> <span className="small">@{c.handle}</span> <span className="badge">{c.kind}</span>
                </label>
              </li>
            ))}
          </ul>
          <button type="submit" disabled={busy || picked.length === 0}>
            Connect {picked.length} account{picked.length === 1 ? '' : 's'}
          </button>
        </form>
      )}
      <ProblemAlert problem={problem} />
      {problem.message && (
        <Alert tone="info">
          <a href="/accounts" onClick={(e) => { e.preventDefault(); navigate('/accounts'); }}>Back to accounts</a> to start again.
        </Alert>
      )}
    </section>
  );
}
