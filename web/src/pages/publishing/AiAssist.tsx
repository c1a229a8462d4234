// AI assist beside the composer's text: hashtag suggestions ranked from the workspace's own
// posts, rewrites (shorter, simpler, more formal or casual, longer) and translations shown with
// what changed and what they cost, applied only when the user says so, and optimize.

import { useId, useState } from 'react';
import { ai, costLabel, type HashtagSuggestion, type Rewritten, type Style } from '../../api/ai';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { AiOptimize } from './AiOptimize';

const STYLES: [Style, string][] = [
  ['shorten', 'Shorten'],
  ['simplify', 'Simplify'],
  ['formal', 'More formal'],
  ['casual', 'More casual'],
  ['expand', 'Expand'],
];

export function AiAssist({ workspace, text, onText, network }: { workspace: string; text: string; onText: (text: string) => void; network: string | null }) {
  const [language, setLanguage] = useState('');
  const id = useId();
  const [tags, setTags] = useState<HashtagSuggestion[] | null>(null);
  const [proposal, setProposal] = useState<Rewritten | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);

  async function run<T>(call: () => Promise<T>, done: (value: T) => void) {
    setBusy(true);
    setProblem(noProblem);
    try {
      done(await call());
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const empty = text.trim() === '';
  return (
    <section className="ai-assist" aria-label="AI assist">
      <div className="actions">
        <button type="button" className="secondary" disabled={busy || empty} onClick={() => run(() => ai.hashtags(workspace, text), (r) => setTags(r.suggestions))}>
          Suggest hashtags
        </button>
        {STYLES.map(([style, label]) => (
          <button key={style} type="button" className="secondary" disabled={busy || empty} onClick={() => run(() => ai.rewrite(workspace, text, style), setProposal)}>
            {label}
          </button>
        ))}
        <AiOptimize workspace={workspace} text={text} network={network} />
      </div>
      <div className="inline">
        <label htmlFor={`${id}-language`}>Translate into</label>
        <input id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.target.value)} placeholder="German" size={12} />
        <button
          type="button"
          className="secondary"
          disabled={busy || empty || language.trim() === ''}
          onClick={() => run(() => ai.translate(workspace, text, language.trim()), (t) => setProposal({ text: t.text, changes: [`translated into ${t.language}`], engine: t.engine, costMicros: t.costMicros }))}
        >
          Translate
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {tags && (
        <p aria-label="Suggested hashtags">
          {tags.length === 0 && <span className="small">No suggestions yet: the workspace has few posts to learn from.</span>}
          {tags.map((t) => {
            const tag = `#${t.tag.replace(/^#/, '')}`;
            return (
              <button key={tag} type="button" className="link" onClick={() => onText(`${text.trimEnd()} ${tag}`)} title={`relevance ${Math.round(t.relevance * 100)} %, in ${t.usedInPosts} of your posts`}>
                {tag}
              </button>
            );
          })}
        </p>
      )}
      {proposal && (
        <div className="proposal" aria-label="Proposed rewrite">
          <p className="post-text">{proposal.text}</p>
          <p className="small">
            {proposal.changes.join('; ') || 'no changes'} · {costLabel(proposal)}
            {proposal.fallback && ` · ${proposal.fallback.message}`}
          </p>
          <button
            type="button"
            onClick={() => {
              onText(proposal.text);
              setProposal(null);
            }}
          >
            Use this text
          </button>
          <button type="button" className="secondary" onClick={() => setProposal(null)}>
            Keep mine
          </button>
        </div>
      )}
    </section>
  );
}
