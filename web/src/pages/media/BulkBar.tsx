// Actions on the selected assets: add or remove a tag, move to a folder, delete. The API answers
// each item on its own; the outcome of every item is listed, with the reason when one was refused
// (a file used by a post that has not gone out yet cannot be deleted).

import { useId, useState } from 'react';
import { media, type BulkRequest, type MediaAsset, type MediaBulkItem, type MediaFolder } from '../../api/media';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

interface Props {
  workspace: string;
  selected: MediaAsset[];
  folders: MediaFolder[];
  onDone: () => void;
  onClear: () => void;
  canEdit: boolean;
  canDelete: boolean;
}

export interface BulkOutcome {
  summary: string;
  items: { id: string; name: string; ok: boolean; reason: string | null }[];
}

export function BulkBar({ workspace, selected, folders, onDone, onClear, canEdit, canDelete }: Props) {
  const [tag, setTag] = useState('');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  async function run(label: string, request: BulkRequest) {
    if (request.action === 'delete' && !window.confirm(`Delete ${selected.length} file${selected.length === 1 ? '' : 's'}? This cannot be undone.`)) return;
    setBusy(true);
    setProblem(noProblem);
    setOutcome(null);
    try {
      const results = await media.bulk(
        workspace,
        selected.map((a) => a.id),
        request,
      );
      setOutcome(describe(label, results, selected));
      onDone();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const tags = tag
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return (
    <section className="bulk" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} aria-live="polite">
        {selected.length} selected
      </h3>
      {selected.length === 0 && <p className="small">Tick files to tag, move or delete them together.</p>}
      {selected.length > 0 && (
        <div className="inline bulk-actions">
          {canEdit && (
            <>
              <div className="field">
                <label htmlFor={`${id}-tag`}>Tags (comma-separated)</label>
                <input id={`${id}-tag`} value={tag} onChange={(e) => setTag(e.target.value)} />
              </div>
              <button type="button" disabled={busy || tags.length === 0} onClick={() => run(`Tagged with ${tags.join(', ')}`, { action: 'addTags', tags })}>
                Add tags
              </button>
              <button type="button" className="secondary" disabled={busy || tags.length === 0} onClick={() => run(`Untagged ${tags.join(', ')}`, { action: 'removeTags', tags })}>
                Remove tags
              </button>
              <label className="inline-label">
                Folder{' '}
                <select value={folder} onChange={(e) => setFolder(e.target.value)}>
                  <option value="">no folder</option>
                  {folders.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => run(`Moved to ${folders.find((f) => f.id === folder)?.name ?? 'no folder'}`, { action: 'move', folderId: folder || null })}
              >
                Move
              </button>
            </>
          )}
          {canDelete && (
            <button type="button" className="danger" disabled={busy} onClick={() => run('Deleted', { action: 'delete' })}>
              Delete selected
            </button>
          )}
          <button type="button" className="link" onClick={onClear}>
            Clear selection
          </button>
        </div>
      )}
      <ProblemAlert problem={problem} />
      {outcome && <BulkResults outcome={outcome} />}
    </section>
  );
}

export function describe(label: string, results: MediaBulkItem[], assets: MediaAsset[]): BulkOutcome {
  const name = (id: string) => assets.find((a) => a.id === id)?.name ?? id;
  const done = results.filter((r) => r.ok).length;
  const refused = results.length - done;
  return {
    summary: `${label}: ${done} done${refused ? `, ${refused} refused` : ''}.`,
    items: results.map((r) => ({ id: r.id, name: name(r.id), ok: r.ok, reason: r.ok ? null : r.error?.message ?? 'refused' })),
  };
}

function BulkResults({ outcome }: { outcome: BulkOutcome }) {
  return (
    <div role="status" className="bulk-results">
      <p>{outcome.summary}</p>
      <ul aria-label="Results per file">
        {outcome.items.map((i) => (
          <li key={i.id}>
            <strong>{i.name}</strong>: {i.ok ? <span className="small">done</span> : <span className="field-error">{i.reason}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
