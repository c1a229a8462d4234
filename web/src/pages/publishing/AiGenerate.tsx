// "Write it for me": variations per network from a short brief, drafted by the workspace's AI
// providers when configured (else the built-in engine), each already fitted to and validated for
// its network, with a quality score, the reasons for it, and what the drafts cost.

import { useId, useState } from 'react';
import { ai, costLabel, type Generation } from '../../api/ai';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function AiGenerate({ workspace, networks, onText }: { workspace: string; networks: string[]; onText: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [topic, setTopic] = useState('');
  const [points, setPoints] = useState('');
  const [result, setResult] = useState<Generation | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function generate() {
    setBusy(true);
    setProblem(noProblem);
    try {
      const lines = points.split('\n').map((p) => p.trim()).filter(Boolean);
      setResult(await ai.generate(workspace, topic, lines, networks, 3));
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Write it for me
      </button>
    );
  }
  return (
    <section className="ai-generate" aria-label="Write it for me">
      {/* Not a form: the composer around it is one, and forms cannot nest. */}
      <div>
        <div className="field">
          <label htmlFor={`${id}-topic`}>What is the post about?</label>
          <input id={`${id}-topic`} value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="our spring sale" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-points`}>Points to make (one per line, optional)</label>
          <textarea id={`${id}-points`} rows={2} value={points} onChange={(e) => setPoints(e.target.value)} />
        </div>
        {networks.length === 0 && <p className="small">Choose where to publish first: drafts are written for those networks.</p>}
        <button type="button" disabled={busy || networks.length === 0 || topic.trim() === ''} onClick={generate}>
          {busy ? 'Writing…' : 'Draft variations'}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {result && (
        <div aria-label="Drafted variations">
          <p className="small">
            {costLabel(result)}
            {result.fallback && ` · ${result.fallback.message}`}
          </p>
          {result.networks.map((n) => (
            <div key={n.network}>
              <h4>{n.network}</h4>
              {n.variations.map((v, i) => (
                <div key={i} className="proposal">
                  <p className="post-text">{v.fitted.text}</p>
                  <p className="small">
                    Quality {v.quality}/100 · {v.reasoning.join('; ')}
                  </p>
                  <button type="button" onClick={() => onText(v.fitted.text)} aria-label={`Use variation ${i + 1} for ${n.network}`}>
                    Use this
                  </button>
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
