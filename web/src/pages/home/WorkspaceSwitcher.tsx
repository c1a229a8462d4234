import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Workspace } from '../../api/types';
import { Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

interface Props {
  workspaces: Workspace[];
  current: string | null;
  onSelect: (id: string) => void;
  onCreated: (w: Workspace) => void;
}

export function WorkspaceSwitcher({ workspaces, current, onSelect, onCreated }: Props) {
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const w = await api.post<Workspace>('/api/v1/workspaces', { name });
      onCreated(w);
      setCreating(false);
      setName('');
      setProblem(noProblem);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <div className="switcher">
      <label className="visually-hidden" htmlFor="workspace-select">
        Workspace
      </label>
      <select id="workspace-select" value={current ?? ''} onChange={(e) => onSelect(e.target.value)}>
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
      {creating ? (
        <form onSubmit={create} className="inline" noValidate>
          <ProblemAlert problem={problem} />
          <Field label="New workspace name" value={name} onChange={(e) => setName(e.target.value)} error={problem.fields.name} />
          <button type="submit">Create</button>
          <button type="button" className="secondary" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button className="secondary" onClick={() => setCreating(true)}>
          New workspace
        </button>
      )}
    </div>
  );
}
