// API keys: create one with a name, kind and scopes (only permissions the creator has), see its
// secret once, and revoke keys.

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { keys, type ApiKey } from '../../api/keys';
import { Alert, Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function ApiKeysPanel({ workspace, permissions, canManageWorkspaceKeys }: { workspace: string; permissions: string[]; canManageWorkspaceKeys: boolean }) {
  const [list, setList] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'personal' | 'workspace'>('personal');
  const [scopes, setScopes] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);

  const load = useCallback(() => {
    keys.list(workspace).then((page) => setList(page.items), (e) => setProblem(problemOf(e)));
  }, [workspace]);
  useEffect(load, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    setSecret(null);
    try {
      const created = await keys.create(workspace, { name, kind, scopes, role: kind === 'workspace' ? 'editor' : null });
      setSecret(created.secret);
      setName('');
      setScopes([]);
      load();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function revoke(id: string) {
    try {
      await keys.revoke(workspace, id);
      load();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {list === null ? (
        <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p>No keys yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((k) => (
              <tr key={k.id}>
                <td>
                  {k.name} <code className="small">{k.prefix}…</code>
                </td>
                <td>{k.kind}</td>
                <td className="small">{k.scopes.join(', ')}</td>
                <td className="small">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => revoke(k.id)}>
                    Revoke<span className="visually-hidden"> {k.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={create} aria-label="Create an API key" noValidate>
        <Field label="Key name" value={name} onChange={(e) => setName(e.target.value)} error={problem.fields.name} />
        <label className="inline-label">
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as 'personal' | 'workspace')}>
            <option value="personal">Personal (acts as you)</option>
            {canManageWorkspaceKeys && <option value="workspace">Workspace (editor role)</option>}
          </select>
        </label>
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {permissions.map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={scopes.includes(p)} onChange={() => setScopes((s) => (s.includes(p) ? s.filter((x) => x !== p) : [...s, p]))} /> {p}
            </label>
          ))}
        </fieldset>
        {problem.fields.scopes && <p className="field-error">{problem.fields.scopes}</p>}
        <button type="submit">Create key</button>
      </form>
      <ProblemAlert problem={problem} />
      {secret && (
        <Alert tone="info">
          Copy this key now; it is not shown again: <code>{secret}</code>
        </Alert>
      )}
    </section>
  );
}
