import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { AuditEntry, List, Workspace } from '../../api/types';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function AuditPanel({ workspace }: { workspace: Workspace }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [action, setAction] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const query = action ? `?action=${encodeURIComponent(action)}` : '';

  useEffect(() => {
    api.get<List<AuditEntry>>(`/api/v1/workspaces/${workspace.id}/audit-log${query}`).then(
      (l) => (setEntries(l.items), setProblem(noProblem)),
      (e) => setProblem(problemOf(e)),
    );
  }, [workspace.id, query]);

  async function download() {
    try {
      const blob = await api.download(`/api/v1/workspaces/${workspace.id}/audit-log.csv${query}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'audit-log.csv';
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <ProblemAlert problem={problem} />
      <div className="inline">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input id="audit-action" placeholder="e.g. member.role_change" value={action} onChange={(e) => setAction(e.target.value.trim())} />
        </div>
        <button className="secondary" onClick={download}>
          Download CSV
        </button>
      </div>
      {entries.length === 0 ? (
        <p>No entries.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString()}</td>
                <td>{e.actorEmail ?? e.actorType}</td>
                <td>{e.action}</td>
                <td>{e.resourceType}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
