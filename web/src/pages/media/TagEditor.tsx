// An asset's tags: each removable, a new one added by Enter or the button. The whole list is saved
// (PATCH replaces the tags), and the saved asset comes back to the caller.

import { useId, useState, type FormEvent } from 'react';
import { media, type MediaAsset } from '../../api/media';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function TagEditor({ workspace, asset, onSaved, canEdit }: { workspace: string; asset: MediaAsset; onSaved: (a: MediaAsset) => void; canEdit: boolean }) {
  const [tag, setTag] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  async function save(tags: string[]) {
    setProblem(noProblem);
    try {
      onSaved(await media.update(workspace, asset.id, { tags }));
      return true;
    } catch (e) {
      setProblem(problemOf(e));
      return false;
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const value = tag.trim();
    if (!value || asset.tags.includes(value)) return setTag('');
    if (await save([...asset.tags, value])) setTag('');
  }

  return (
    <div className="tags">
      <ul aria-label={`Tags of ${asset.name}`}>
        {asset.tags.map((t) => (
          <li key={t} className="badge">
            {t}
            {canEdit && (
              <button type="button" className="chip-remove" aria-label={`Remove tag ${t} from ${asset.name}`} onClick={() => save(asset.tags.filter((x) => x !== t))}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form className="inline" onSubmit={add}>
          <label htmlFor={`${id}-tag`} className="visually-hidden">
            Add a tag to {asset.name}
          </label>
          <input id={`${id}-tag`} value={tag} placeholder="Add a tag" onChange={(e) => setTag(e.target.value)} />
          <button type="submit" className="secondary" disabled={!tag.trim()} aria-label={`Add tag to ${asset.name}`}>
            Add
          </button>
        </form>
      )}
      <ProblemAlert problem={problem} />
    </div>
  );
}
