// One file of the library: its thumbnail (through a short-lived signed URL), a checkbox for bulk
// actions, alt text, tags, its folder and delete (refused while a post yet to go out uses it).

import { useEffect, useId, useState } from 'react';
import { media, type MediaAsset, type MediaFolder } from '../../api/media';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { TagEditor } from './TagEditor';

interface Props {
  workspace: string;
  asset: MediaAsset;
  folders: MediaFolder[];
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onChanged: (asset: MediaAsset) => void;
  onDeleted: (id: string) => void;
  canEdit: boolean;
  canDelete: boolean;
}

export function AssetCard({ workspace, asset, folders, selected, onSelect, onChanged, onDeleted, canEdit, canDelete }: Props) {
  const [src, setSrc] = useState<string | null>(null);
  const [alt, setAlt] = useState(asset.altText ?? '');
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  useEffect(() => {
    if (asset.hasThumbnail) {
      media.thumbnailUrl(workspace, asset.id).then(
        (s) => setSrc(s.url),
        () => setSrc(null),
      );
    }
  }, [workspace, asset.id, asset.hasThumbnail]);

  async function act(action: () => Promise<void>) {
    setSaved(false);
    setProblem(noProblem);
    try {
      await action();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  const save = () =>
    act(async () => {
      onChanged(await media.setAltText(workspace, asset.id, alt));
      setSaved(true);
    });
  const move = (folderId: string) => act(async () => onChanged(await media.update(workspace, asset.id, { folderId })));
  const remove = () =>
    act(async () => {
      if (!window.confirm(`Delete ${asset.name}? This cannot be undone.`)) return;
      await media.remove(workspace, asset.id);
      onDeleted(asset.id);
    });

  const size = asset.bytes >= 1_048_576 ? `${(asset.bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(asset.bytes / 1024)} kB`;
  return (
    <li className={`asset${selected ? ' asset-selected' : ''}`}>
      <label className="inline-label">
        <input type="checkbox" className="pick" checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        <span className="visually-hidden">Select {asset.name}</span>
      </label>
      {src ? (
        <img src={src} alt={asset.altText ?? ''} width={160} />
      ) : (
        <div className="no-thumb" aria-hidden="true">
          {asset.type}
        </div>
      )}
      <strong>{asset.name}</strong>
      <span className="small">
        {asset.type} · {asset.width && asset.height ? `${asset.width}×${asset.height} · ` : ''}
        {size} · {new Date(asset.createdAt).toLocaleDateString()}
      </span>
      <label htmlFor={`${id}-alt`}>Alt text for {asset.name}</label>
      <input id={`${id}-alt`} value={alt} readOnly={!canEdit} onChange={(e) => setAlt(e.target.value)} />
      {canEdit && (
        <button type="button" className="secondary" onClick={save} aria-label={`Save alt text for ${asset.name}`}>
          Save alt text
        </button>
      )}
      {saved && <Alert tone="info">Saved.</Alert>}
      <TagEditor workspace={workspace} asset={asset} onSaved={onChanged} canEdit={canEdit} />
      {canEdit && (
        <label className="inline-label">
          Folder{' '}
          <select aria-label={`Folder of ${asset.name}`} value={asset.folderId ?? ''} onChange={(e) => move(e.target.value)}>
            <option value="">no folder</option>
            {folders.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {canDelete && (
        <button type="button" className="link danger-link" onClick={remove} aria-label={`Delete ${asset.name}`}>
          Delete
        </button>
      )}
      <ProblemAlert problem={problem} />
    </li>
  );
}
