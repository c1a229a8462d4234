// Optimize: concrete suggestions for the draft (what to change, why, and — when the workspace's
// own performance model can weigh it — the expected effect), and the draft's predicted reach.

import { useState } from 'react';
import { ai, type Optimized } from '../../api/ai';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

function effect(change: number | null): string {
  if (change === null) return 'effect not measured yet';
  const percent = Math.round(change * 100);
  return `${percent >= 0 ? '+' : ''}${percent} % expected`;
}

export function AiOptimize({ workspace, text, network }: { workspace: string; text: string; network: string | null }) {
  const [result, setResult] = useState<Optimized | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);

  async function optimize() {
    if (!network) return;
    setBusy(true);
    setProblem(noProblem);
    try {
      setResult(await ai.optimize(workspace, text, network));
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const p = result?.prediction;
  return (
    <>
      <button type="button" className="secondary" disabled={busy || !network || text.trim() === ''} onClick={optimize} title={network ? undefined : 'Choose where to publish first'}>
        Optimize
      </button>
      <ProblemAlert problem={problem} />
      {result && p && (
        <div className="proposal" aria-label="Optimization">
          <p className="small">
            {p.expected === null
              ? p.note
              : `Predicted about ${Math.round(p.expected)} interactions (${Math.round(p.low ?? p.expected)}–${Math.round(p.high ?? p.expected)}), ${p.confidenceLabel} confidence, from ${p.samples} posts.`}
          </p>
          {result.suggestions.length === 0 ? (
            <p className="small">Nothing to suggest: the draft already does what your best posts do.</p>
          ) : (
            <ul>
              {result.suggestions.map((s, i) => (
                <li key={i}>
                  <strong>{s.what}</strong> — {s.why} <span className="small">({effect(s.expectedEffect.change)})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}
