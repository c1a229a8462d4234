// How a post will look on its network: the account, then each part (several for a thread).
// A sketch of the network's card, not a pixel copy: enough to see breaks, threads and length.

import type { Account, TargetPreview } from '../../api/publishing';

export function PostPreview({ preview, account }: { preview: TargetPreview; account?: Account }) {
  const name = account?.displayName ?? preview.handle;
  return (
    <figure className={`post-preview network-${preview.network}`} aria-label={`Preview on ${account?.networkLabel ?? preview.network}`}>
      {preview.parts.map((part, i) => (
        <div key={i} className="post-card">
          <div className="post-author">
            <span className="avatar" aria-hidden="true">
              {name.slice(0, 1).toUpperCase()}
            </span>
            <strong>{name}</strong> <span className="small">@{preview.handle}</span>
            {preview.parts.length > 1 && (
              <span className="small">
                {' '}
                · {i + 1}/{preview.parts.length}
              </span>
            )}
          </div>
          <p className="post-text">{part || <em className="small">Nothing to post yet.</em>}</p>
        </div>
      ))}
    </figure>
  );
}
