// The workspace's brand voice: learned from pasted examples plus its best posts (settings:update),
// shown as a summary of its usual figures and what it was learned from, and a box that scores a
// draft's consistency with it (anyone who reads posts).

import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { brandVoice, splitExamples, type BrandVoice, type VoiceScore } from '../../api/ai';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

/** What each dimension measures, for people. */
const DIMENSIONS: Record<string, string> = {
  sentenceLength: 'Words per sentence',
  postLength: 'Characters per post',
  emoji: 'Emoji per post',
  hashtags: 'Hashtags per post',
  mentions: 'Mentions per post',
  exclamations: 'Exclamation marks per sentence',
  questions: 'Questions per sentence',
  we: '“We” per 100 words',
  you: '“You” per 100 words',
  i: '“I” per 100 words',
  formality: 'Formality (formal minus casual markers per 100 words)',
  sentiment: 'Sentiment (−1 negative to 1 positive)',
  vocabulary: 'Characteristic words used',
};

const RANKED_BY: Record<string, string> = {
  engagement: 'your best posts by engagement',
  latest_published: 'your latest published posts (no engagement figures yet)',
  latest_posts: 'your latest posts, drafts included (nothing published yet)',
};

const figure = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

export function BrandVoicePanel({ workspace, canEdit }: { workspace: string; canEdit: boolean }) {
  const [voice, setVoice] = useState<BrandVoice | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  const load = useCallback(() => {
    brandVoice.get(workspace).then(setVoice, (e) => setProblem(problemOf(e)));
  }, [workspace]);
  useEffect(load, [load]);

  return (
    <section className="panel brand-voice" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Brand voice</h2>
      <ProblemAlert problem={problem} />
      {voice === null ? (
        !problem.message && <p role="status">Loading…</p>
      ) : (
        <>
          <VoiceSummary voice={voice} />
          <LearnVoiceForm workspace={workspace} canEdit={canEdit} onLearned={setVoice} />
          <ScoreDraft workspace={workspace} learned={voice.profile !== null} />
        </>
      )}
    </section>
  );
}

function VoiceSummary({ voice }: { voice: BrandVoice }) {
  const { profile, sources, updatedAt } = voice;
  if (!profile) return <p>Not learned yet: paste a few posts in your voice below, and Zenalto adds your best posts to them.</p>;
  return (
    <div className="voice-summary">
      <p>
        Learned from {profile.samples} {profile.samples === 1 ? 'text' : 'texts'}
        {sources && (
          <>
            : {sources.examples} pasted {sources.examples === 1 ? 'example' : 'examples'} and {sources.bestPosts.count} of {RANKED_BY[sources.bestPosts.rankedBy] ?? sources.bestPosts.rankedBy}
          </>
        )}
        {updatedAt && <span className="small"> · {new Date(updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</span>}.
      </p>
      {profile.keyPhrases.length > 0 && (
        <p>
          What you return to: <span className="phrases">{profile.keyPhrases.slice(0, 10).join(' · ')}</span>
        </p>
      )}
      <table>
        <caption className="small">Your usual figures (typical spread in brackets)</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Usual</th>
          </tr>
        </thead>
        <tbody>
          {profile.dimensions.map((d) => (
            <tr key={d.dimension}>
              <th scope="row">{DIMENSIONS[d.dimension] ?? d.dimension}</th>
              <td>
                {figure(d.mean)} <span className="small">(± {figure(d.spread)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LearnVoiceForm({ workspace, canEdit, onLearned }: { workspace: string; canEdit: boolean; onLearned: (voice: BrandVoice) => void }) {
  const [pasted, setPasted] = useState('');
  const [bestPosts, setBestPosts] = useState('20');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);
  const [learned, setLearned] = useState(false);
  const id = useId();
  const examples = splitExamples(pasted);

  async function learn(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    setLearned(false);
    const count = Number(bestPosts);
    if (bestPosts.trim() === '' || !Number.isInteger(count) || count < 0 || count > 100) {
      setProblem({ message: 'How many of your best posts to add: a whole number from 0 to 100.', fields: { bestPosts: 'from 0 to 100' } });
      return;
    }
    setBusy(true);
    try {
      onLearned(await brandVoice.learn(workspace, examples, count));
      setLearned(true);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={learn} aria-label="Learn the brand voice" noValidate>
      <h3>Learn from examples</h3>
      {!canEdit && <p className="small">Only people who may change the workspace settings can teach Zenalto the brand voice.</p>}
      <div className="field">
        <label htmlFor={`${id}-examples`}>Examples in your voice</label>
        <textarea
          id={`${id}-examples`}
          rows={6}
          value={pasted}
          disabled={!canEdit}
          onChange={(e) => setPasted(e.target.value)}
          aria-describedby={`${id}-examples-help`}
          aria-invalid={problem.fields.examples ? true : undefined}
        />
        <p className="small" id={`${id}-examples-help`}>
          One per line, or separate them with a blank line when they span lines. {examples.length} {examples.length === 1 ? 'example' : 'examples'}.
        </p>
        {problem.fields.examples && <p className="field-error">{problem.fields.examples}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-best`}>Also learn from this many of your best posts (0–100)</label>
        <input id={`${id}-best`} inputMode="numeric" value={bestPosts} disabled={!canEdit} onChange={(e) => setBestPosts(e.target.value)} aria-invalid={problem.fields.bestPosts ? true : undefined} />
      </div>
      <ProblemAlert problem={problem} />
      {learned && <Alert tone="info">Learned. Drafts are now scored against this voice.</Alert>}
      {canEdit && (
        <button type="submit" disabled={busy}>
          {busy ? 'Learning…' : 'Learn the voice'}
        </button>
      )}
    </form>
  );
}

function ScoreDraft({ workspace, learned }: { workspace: string; learned: boolean }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<VoiceScore | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function score(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    setResult(null);
    if (text.trim() === '') {
      setProblem({ message: 'Write or paste a draft to score.', fields: { text: 'write a draft' } });
      return;
    }
    setBusy(true);
    try {
      setResult(await brandVoice.score(workspace, text));
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={score} aria-label="Score a draft" noValidate>
      <h3>Score a draft</h3>
      {!learned && <p className="small">Learn the voice first; then any draft can be scored against it.</p>}
      <div className="field">
        <label htmlFor={`${id}-draft`}>Draft</label>
        <textarea id={`${id}-draft`} rows={4} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={problem.fields.text ? true : undefined} />
      </div>
      <ProblemAlert problem={problem} />
      <button type="submit" disabled={busy || !learned}>
        {busy ? 'Scoring…' : 'Score'}
      </button>
      {result && <ScoreResult result={result} />}
    </form>
  );
}

function ScoreResult({ result }: { result: VoiceScore }) {
  const tone = result.score >= 80 ? 'in your voice' : result.score >= 60 ? 'close to your voice' : 'unlike your voice';
  return (
    <div className="voice-score" role="status">
      <p>
        <meter min={0} max={100} low={60} high={80} optimum={100} value={result.score} aria-label="Consistency with the brand voice" />{' '}
        <strong>{result.score}/100</strong> — {tone}
      </p>
      {result.findings.length === 0 ? (
        <p className="small">Nothing stands out from your usual style.</p>
      ) : (
        <ul aria-label="What differs from your voice">
          {result.findings.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
