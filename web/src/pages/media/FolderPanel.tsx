// The library's folders: pick one to see only its files, create one, delete one (its files stay in
// the library, outside any folder).

import { useId, useState, type FormEvent } from 'react';
import { media, type MediaFolder } from '../../api/media';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

interface Props {
  workspace: string;
  folders: MediaFolder[] | null;
  current: string;
  onSelect: (folderId: string) => void;
  onChanged: () => void;
  canEdit: boolean;
  canDelete: boolean;
}

export function FolderPanel({ workspace, folders, current, onSelect, onChanged, canEdit, canDelete }: Props) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    try {
      const folder = await media.createFolder(workspace, name.trim());
      setName('');
      onChanged();
      onSelect(folder.id);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function remove(folder: MediaFolder) {
    if (!window.confirm(`Delete the folder “${folder.name}”? Its files stay in the library.`)) return;
    setProblem(noProblem);
    try {
      await media.deleteFolder(workspace, folder.id);
      if (current === folder.id) onSelect('');
      onChanged();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <nav className="folders" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Folders</h3>
      {folders === null ? (
        <p role="status">Loading folders…</p>
      ) : (
        <ul>
          <li>
            <button type="button" className="tab" aria-pressed={current === ''} onClick={() => onSelect('')}>
              All files
            </button>
          </li>
          {folders.map((f) => (
            <li key={f.id}>
              <button type="button" className="tab" aria-pressed={current === f.id} onClick={() => onSelect(f.id)}>
                {f.name}
              </button>
              {canDelete && (
                <button type="button" className="link" aria-label={`Delete folder ${f.name}`} onClick={() => remove(f)}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {folders?.length === 0 && <p className="small">No folders yet.</p>}
      {canEdit && (
        <form className="inline" onSubmit={create}>
          <div className="field">
            <label htmlFor={`${id}-name`}>New folder</label>
            <input id={`${id}-name`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" disabled={!name.trim()}>
            Create folder
          </button>
        </form>
      )}
      <ProblemAlert problem={problem} />
    </nav>
  );
}
