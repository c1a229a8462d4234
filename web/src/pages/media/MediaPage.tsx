// The media library: upload files with a progress bar each (large ones resumably; refusals — type
// sniffed from the bytes, size over the plan — shown per file), folders, search by name, type, tag
// and date, and bulk actions on the selected files with each file's outcome.

import { useCallback, useEffect, useId, useState, type ChangeEvent } from 'react';
import { media, type MediaAsset, type MediaFolder } from '../../api/media';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { AssetCard } from './AssetCard';
import { BulkBar } from './BulkBar';
import { Filters, dayRange, emptySearch, type Search } from './Filters';
import { FolderPanel } from './FolderPanel';

interface Upload {
  name: string;
  progress: number;
  outcome: string | null;
  failed: boolean;
}

interface Props {
  workspace: string;
  canUpload: boolean;
  canEdit?: boolean;
  canDelete?: boolean;
}

export function MediaPage({ workspace, canUpload, canEdit = canUpload, canDelete = canUpload }: Props) {
  const [assets, setAssets] = useState<MediaAsset[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [folders, setFolders] = useState<MediaFolder[] | null>(null);
  const [folderId, setFolderId] = useState('');
  const [search, setSearch] = useState<Search>(emptySearch);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  const { name, type, tag } = search;
  const { from, to } = dayRange(search);
  const load = useCallback(
    (cursor?: string) => {
      media.list(workspace, name, type, { tag, folderId, from, to, ...(cursor ? { cursor } : {}) }).then(
        (page) => {
          setProblem(noProblem);
          setAssets((old) => (cursor && old ? [...old, ...page.items] : page.items));
          setNext(page.nextCursor ?? null);
        },
        (e) => setProblem(problemOf(e)),
      );
    },
    [workspace, name, type, tag, folderId, from, to],
  );
  useEffect(() => load(), [load]);

  const loadFolders = useCallback(() => {
    media.folders(workspace).then(setFolders, (e) => {
      setFolders([]);
      setProblem(problemOf(e));
    });
  }, [workspace]);
  useEffect(loadFolders, [loadFolders]);

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    const start = uploads.length;
    setUploads((u) => [...u, ...files.map((f) => ({ name: f.name, progress: 0, outcome: null, failed: false }))]);
    const update = (i: number, change: Partial<Upload>) => setUploads((u) => u.map((x, j) => (j === start + i ? { ...x, ...change } : x)));
    await Promise.all(
      files.map(async (file, i) => {
        try {
          const result = await media.upload(
            workspace,
            file,
            (progress) => update(i, { progress }),
            folderId || null,
            (offset) => update(i, { outcome: `connection dropped; resuming from ${(offset / 1_048_576).toFixed(1)} MB` }),
          );
          update(i, { progress: 1, outcome: result.duplicate ? 'already in the library' : 'uploaded' });
        } catch (e) {
          update(i, { outcome: problemOf(e).message, failed: true });
        }
      }),
    );
    load();
  }

  const toggle = (assetId: string, on: boolean) =>
    setSelected((s) => {
      const copy = new Set(s);
      if (on) copy.add(assetId);
      else copy.delete(assetId);
      return copy;
    });
  const replace = (asset: MediaAsset) => setAssets((list) => list?.map((a) => (a.id === asset.id ? asset : a)) ?? null);
  const removed = (assetId: string) => {
    setAssets((list) => list?.filter((a) => a.id !== assetId) ?? null);
    toggle(assetId, false);
  };
  const chosen = (assets ?? []).filter((a) => selected.has(a.id));
  const allShown = (assets?.length ?? 0) > 0 && chosen.length === assets?.length;

  return (
    <section className="panel media" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Media library</h2>
      {canUpload && (
        <div className="field">
          <label htmlFor={`${id}-files`}>Upload images, GIFs or videos</label>
          <input id={`${id}-files`} type="file" multiple accept="image/*,video/*" onChange={pick} />
          <p className="small">
            {folderId ? `Into the folder ${folders?.find((f) => f.id === folderId)?.name ?? ''}. ` : ''}Files over 8 MB are sent in parts and pick up where
            they stopped if the connection drops.
          </p>
        </div>
      )}
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads" aria-live="polite">
          {uploads.map((u, i) => (
            <li key={i}>
              {u.name} <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`} />{' '}
              {u.outcome && <span className={u.failed ? 'field-error' : 'small'}>{u.outcome}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="media-layout">
        <FolderPanel
          workspace={workspace}
          folders={folders}
          current={folderId}
          onSelect={setFolderId}
          onChanged={() => {
            loadFolders();
            load();
          }}
          canEdit={canEdit}
          canDelete={canDelete}
        />
        <div className="media-main">
          <Filters search={search} onChange={setSearch} />
          <ProblemAlert problem={problem} />
          <BulkBar
            workspace={workspace}
            selected={chosen}
            folders={folders ?? []}
            onDone={() => load()}
            onClear={() => setSelected(new Set())}
            canEdit={canEdit}
            canDelete={canDelete}
          />
          {assets === null ? (
            <p role="status">Loading…</p>
          ) : assets.length === 0 ? (
            <p>{name || type || tag || folderId || from || to ? 'No files match this search.' : 'No media yet.'}</p>
          ) : (
            <>
              <label className="inline-label">
                <input type="checkbox" className="pick" checked={allShown} onChange={(e) => setSelected(new Set(e.target.checked ? assets.map((a) => a.id) : []))} />
                Select all shown
              </label>
              <ul className="assets" aria-label="Assets">
                {assets.map((a) => (
                  <AssetCard
                    key={a.id}
                    workspace={workspace}
                    asset={a}
                    folders={folders ?? []}
                    selected={selected.has(a.id)}
                    onSelect={(on) => toggle(a.id, on)}
                    onChanged={(changed) => (folderId && changed.folderId !== folderId ? removed(changed.id) : replace(changed))}
                    onDeleted={removed}
                    canEdit={canEdit}
                    canDelete={canDelete}
                  />
                ))}
              </ul>
              {next && (
                <button type="button" className="secondary" onClick={() => load(next)}>
                  Load more
                </button>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
