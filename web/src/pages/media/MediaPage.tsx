// The media library: upload files with a progress bar each (refusals — type sniffed from the
// bytes, size over the plan — shown per file), search by name and type, thumbnails through
// short-lived signed URLs, and alt text per asset.

import { useCallback, useEffect, useId, useState, type ChangeEvent } from 'react';
import { media, type MediaAsset } from '../../api/media';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

interface Upload {
  name: string;
  progress: number;
  outcome: string | null;
  failed: boolean;
}

export function MediaPage({ workspace, canUpload }: { workspace: string; canUpload: boolean }) {
  const [assets, setAssets] = useState<MediaAsset[] | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  const load = useCallback(() => {
    media.list(workspace, name, type).then(
      (page) => setAssets(page.items),
      (e) => setProblem(problemOf(e)),
    );
  }, [workspace, name, type]);
  useEffect(load, [load]);

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    const start = uploads.length;
    setUploads((u) => [...u, ...files.map((f) => ({ name: f.name, progress: 0, outcome: null, failed: false }))]);
    const update = (i: number, change: Partial<Upload>) => setUploads((u) => u.map((x, j) => (j === start + i ? { ...x, ...change } : x)));
    await Promise.all(
      files.map(async (file, i) => {
        try {
          const result = await media.upload(workspace, file, (progress) => update(i, { progress }));
          update(i, { progress: 1, outcome: result.duplicate ? 'already in the library' : 'uploaded' });
        } catch (e) {
          update(i, { outcome: problemOf(e).message, failed: true });
        }
      }),
    );
    load();
  }

  return (
    <section className="panel media" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Media library</h2>
      {canUpload && (
        <div className="field">
          <label htmlFor={`${id}-files`}>Upload images, GIFs or videos</label>
          <input id={`${id}-files`} type="file" multiple accept="image/*,video/*" onChange={pick} />
        </div>
      )}
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {uploads.map((u, i) => (
            <li key={i}>
              {u.name} <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`} />{' '}
              {u.outcome && <span className={u.failed ? 'field-error' : 'small'}>{u.outcome}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="inline">
        <div className="field">
          <label htmlFor={`${id}-name`}>Search by name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <label className="inline-label">
          Type{' '}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">all</option>
            <option value="image">images</option>
            <option value="gif">GIFs</option>
            <option value="video">videos</option>
          </select>
        </label>
      </div>
      <ProblemAlert problem={problem} />
      {assets === null ? (
        <p role="status">Loading…</p>
      ) : assets.length === 0 ? (
        <p>No media yet.</p>
      ) : (
        <ul className="assets" aria-label="Assets">
          {assets.map((a) => (
            <AssetCard key={a.id} workspace={workspace} asset={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AssetCard({ workspace, asset }: { workspace: string; asset: MediaAsset }) {
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

  async function save() {
    setSaved(false);
    setProblem(noProblem);
    try {
      await media.setAltText(workspace, asset.id, alt);
      setSaved(true);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  const size = asset.bytes >= 1_048_576 ? `${(asset.bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(asset.bytes / 1024)} kB`;
  return (
    <li className="asset">
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
        {size}
      </span>
      <label htmlFor={`${id}-alt`}>Alt text for {asset.name}</label>
      <input id={`${id}-alt`} value={alt} onChange={(e) => setAlt(e.target.value)} />
      <button type="button" className="secondary" onClick={save}>
        Save alt text<span className="visually-hidden"> for {asset.name}</span>
      </button>
      {saved && <Alert tone="info">Saved.</Alert>}
      <ProblemAlert problem={problem} />
    </li>
  );
}
