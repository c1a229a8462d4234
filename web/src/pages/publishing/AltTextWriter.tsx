// Alt text for an attached picture, written by a vision-capable provider of the workspace (or,
// without one, from what the library measured, with a note saying so) and saved on the asset.

import { useState } from 'react';
import { ai, costLabel, type AltText } from '../../api/ai';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function AltTextWriter({ workspace, asset, name, current }: { workspace: string; asset: string; name: string; current: string | null }) {
  const [result, setResult] = useState<AltText | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);

  async function write() {
    setBusy(true);
    setProblem(noProblem);
    try {
      setResult(await ai.altText(workspace, asset, true));
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const text = result?.altText ?? current;
  return (
    <div className="alt-text" aria-label={`Alt text of ${name}`}>
      <span className="small">{name}: </span>
      {text ? <q>{text}</q> : <span className="small">no alt text yet</span>}{' '}
      <button type="button" className="link" disabled={busy} onClick={write}>
        {busy ? 'Writing…' : text ? 'Rewrite alt text' : 'Write alt text'}
      </button>
      {result && (
        <p className="small">
          Saved · {costLabel(result)}
          {result.caption && ` · caption idea: “${result.caption}”`}
          {result.note && ` · ${result.note}`}
          {result.fallback && ` · ${result.fallback.message}`}
        </p>
      )}
      <ProblemAlert problem={problem} />
    </div>
  );
}
