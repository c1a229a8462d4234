// Attaching media in the composer: pick files from the library (with thumbnails) or upload new
// ones with a progress bar each; uploads are attached as soon as they land. The order of picks is
// the order of attachments. The server's preview then checks the files against each network.

import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { media, type MediaAsset } from '../../api/media';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { AltTextWriter } from './AltTextWriter';

interface Props {
  workspace: string;
  chosen: string[];
  onChange: (ids: string[]) => void;
  canUpload: boolean;
}

export function MediaPicker({ workspace, chosen, onChange, canUpload }: Props) {
  const [assets, setAssets] = useState<MediaAsset[] | null>(null);
  const [query, setQuery] = useState('');
  const [uploads, setUploads] = useState<{ name: string; progress: number }[]>([]);
  const [problem, setProblem] = useState<Problem>(noProblem);
  // The library is only read once the person wants to attach something.
  const [open, setOpen] = useState(chosen.length > 0);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    media.list(workspace, query, '').then(
      (page) => setAssets(page.items),
      (e) => setProblem(problemOf(e)),
    );
  }, [workspace, query, open]);

  function toggle(asset: string) {
    onChange(chosen.includes(asset) ? chosen.filter((a) => a !== asset) : [...chosen, asset]);
  }

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    setProblem(noProblem);
    let attached = chosen;
    for (const file of files) {
      setUploads((u) => [...u, { name: file.name, progress: 0 }]);
      try {
        const done = await media.upload(workspace, file, (progress) =>
          setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, progress } : x))),
        );
        setAssets((list) => [done.asset, ...(list ?? []).filter((a) => a.id !== done.asset.id)]);
        attached = attached.includes(done.asset.id) ? attached : [...attached, done.asset.id];
        onChange(attached);
      } catch (e) {
        setProblem(problemOf(e));
      } finally {
        setUploads((u) => u.filter((x) => x.name !== file.name));
      }
    }
  }

  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Attach media
      </button>
    );
  }

  return (
    <fieldset className="media-picker">
      <legend>Media {chosen.length > 0 && <span className="small">({chosen.length} attached)</span>}</legend>
      <div className="inline">
        <div className="field">
          <label htmlFor={`${id}-search`}>Search the library</label>
          <input id={`${id}-search`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        {canUpload && (
          <div className="field">
            <label htmlFor={`${id}-upload`}>Upload and attach</label>
            <input id={`${id}-upload`} type="file" multiple accept="image/*,video/*" onChange={upload} />
          </div>
        )}
      </div>
      {uploads.map((u) => (
        <div key={u.name} className="small">
          {u.name} <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`} />
        </div>
      ))}
      {assets === null ? (
        <p role="status">Loading the library…</p>
      ) : assets.length === 0 ? (
        <p className="small">The library is empty{query ? ' for this search' : ''}.</p>
      ) : (
        <ul className="picker-grid" aria-label="Library">
          {assets.slice(0, 24).map((a) => (
            <li key={a.id}>
              <label className="check">
                <input type="checkbox" checked={chosen.includes(a.id)} onChange={() => toggle(a.id)} />
                <Thumb workspace={workspace} asset={a} /> {a.name}
                {chosen.includes(a.id) && <span className="badge">#{chosen.indexOf(a.id) + 1}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
      {assets
        ?.filter((a) => chosen.includes(a.id) && a.type !== 'video')
        .map((a) => <AltTextWriter key={a.id} workspace={workspace} asset={a.id} name={a.name} current={a.altText ?? null} />)}
      <ProblemAlert problem={problem} />
    </fieldset>
  );
}

function Thumb({ workspace, asset }: { workspace: string; asset: MediaAsset }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!asset.hasThumbnail) return;
    media.thumbnailUrl(workspace, asset.id).then(
      (s) => setSrc(s.url),
      () => setSrc(null),
    );
  }, [workspace, asset.id, asset.hasThumbnail]);
  return src ? <img src={src} alt={asset.altText ?? ''} width={48} height={48} /> : <span className="no-thumb small">{asset.type}</span>;
}
