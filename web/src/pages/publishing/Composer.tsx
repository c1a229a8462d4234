// The composer: one draft, a tab per target account with its own text override, a live preview
// of each network's post, the network's own character count, and validation from the server
// (POST …/posts/preview, the same rules that decide scheduling). Then save, schedule in a time
// zone, add to the queue (next free posting slot) or publish now.

import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { issuesOf, localZone, publishing, type Account, type Draft, type Post, type TargetPreview } from '../../api/publishing';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { AiAssist } from './AiAssist';
import { AiGenerate } from './AiGenerate';
import { BestTimeHints } from './BestTimeHints';
import { MediaPicker } from './MediaPicker';
import { PostPreview } from './PostPreview';

const PREVIEW_DELAY_MS = 250;

type Action = 'draft' | 'schedule' | 'queue' | 'now';

export function Composer({ workspace, onDone, canUpload = true }: { workspace: string; onDone?: (post: Post, action: Action) => void; canUpload?: boolean }) {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [text, setText] = useState('');
  const [firstComment, setFirstComment] = useState('');
  const [mediaIds, setMediaIds] = useState<string[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [overrides, setOverrides] = useState<Record<string, string | undefined>>({});
  const [active, setActive] = useState<string | null>(null);
  const [previews, setPreviews] = useState<TargetPreview[]>([]);
  const [when, setWhen] = useState('');
  const [zone, setZone] = useState(localZone);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);
  const ids = useId();

  useEffect(() => {
    publishing.accounts(workspace).then(setAccounts, (e) => setProblem(problemOf(e)));
  }, [workspace]);

  const draft: Draft = useMemo(
    () => ({
      content: { text, mediaIds, firstComment: firstComment.trim() ? firstComment : null },
      targets: chosen.map((accountId) => ({ accountId, overrides: overrides[accountId] !== undefined ? { text: overrides[accountId] } : null })),
    }),
    [text, mediaIds, firstComment, chosen, overrides],
  );

  useEffect(() => {
    if (chosen.length === 0) {
      setPreviews([]);
      return;
    }
    const request = ++latest.current;
    const timer = setTimeout(() => {
      publishing.preview(workspace, draft).then(
        (p) => request === latest.current && setPreviews(p),
        (e) => request === latest.current && setProblem(problemOf(e)),
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [workspace, draft, chosen.length]);

  function toggle(account: string) {
    setProblem(noProblem);
    setChosen((c) => (c.includes(account) ? c.filter((a) => a !== account) : [...c, account]));
    setActive((a) => a ?? account);
  }

  async function submit(action: Action, event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setProblem(noProblem);
    setDone(null);
    try {
      const post = await publishing.create(workspace, draft);
      let saved = post;
      if (action === 'schedule') saved = (await publishing.schedule(workspace, post.id, { localTime: when, timeZone: zone })).post;
      if (action === 'queue') saved = (await publishing.schedule(workspace, post.id, { nextFreeSlot: true })).post;
      if (action === 'now') saved = (await publishing.publishNow(workspace, post.id)).post;
      setDone(
        action === 'draft'
          ? 'Draft saved.'
          : action === 'now'
            ? 'Publishing now. Watch it on the calendar.'
            : `Scheduled for ${new Date(saved.scheduledAt ?? '').toLocaleString(undefined, { timeZone: zone, dateStyle: 'full', timeStyle: 'short' })} (${zone}).`,
      );
      setText('');
      setFirstComment('');
      setMediaIds([]);
      setOverrides({});
      onDone?.(saved, action);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const blocked = previews.some((p) => !p.publishable);
  const shown = previews.find((p) => p.accountId === active) ?? previews[0];
  const fieldMessages = Object.entries(problem.fields);

  return (
    <section className="panel composer" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Compose</h2>
      <form onSubmit={(e) => submit('schedule', e)} noValidate>
        <fieldset className="targets">
          <legend>Publish to</legend>
          {accounts.length === 0 && <p className="small">Connect an account first (Accounts).</p>}
          {accounts.map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={chosen.includes(a.id)} onChange={() => toggle(a.id)} />
              <span className={`network-dot network-${a.network}`} aria-hidden="true" /> {a.networkLabel} @{a.handle}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-text`}>Post text</label>
          <textarea id={`${ids}-text`} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <AiGenerate workspace={workspace} networks={[...new Set(accounts.filter((a) => chosen.includes(a.id)).map((a) => a.network))]} onText={setText} />
        <AiAssist workspace={workspace} text={text} onText={setText} network={accounts.find((a) => a.id === (active ?? chosen[0]))?.network ?? null} />
        <MediaPicker workspace={workspace} chosen={mediaIds} onChange={setMediaIds} canUpload={canUpload} />
        <div className="field">
          <label htmlFor={`${ids}-comment`}>First comment (optional)</label>
          <input id={`${ids}-comment`} value={firstComment} onChange={(e) => setFirstComment(e.target.value)} />
        </div>

        {previews.length > 0 && (
          <div className="previews">
            <div role="tablist" aria-label="Per-network versions">
              {previews.map((p) => (
                <button
                  key={p.accountId}
                  type="button"
                  role="tab"
                  id={`${ids}-tab-${p.accountId}`}
                  aria-selected={shown?.accountId === p.accountId}
                  aria-controls={`${ids}-panel`}
                  className={`tab ${p.publishable ? '' : 'tab-blocked'}`}
                  onClick={() => setActive(p.accountId)}
                >
                  {p.network} @{p.handle} <Counter preview={p} />
                </button>
              ))}
            </div>
            {shown && (
              <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${shown.accountId}`}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={overrides[shown.accountId] !== undefined}
                    onChange={(e) => setOverrides((o) => ({ ...o, [shown.accountId]: e.target.checked ? text : undefined }))}
                  />
                  Customise the text for @{shown.handle}
                </label>
                {overrides[shown.accountId] !== undefined && (
                  <div className="field">
                    <label htmlFor={`${ids}-override`}>Text for @{shown.handle}</label>
                    <textarea
                      id={`${ids}-override`}
                      rows={4}
                      value={overrides[shown.accountId]}
                      onChange={(e) => setOverrides((o) => ({ ...o, [shown.accountId]: e.target.value }))}
                    />
                  </div>
                )}
                <Issues preview={shown} />
                <PostPreview preview={shown} account={accounts.find((a) => a.id === shown.accountId)} />
              </div>
            )}
          </div>
        )}

        <div className="inline schedule">
          <div className="field">
            <label htmlFor={`${ids}-when`}>Date and time</label>
            <input id={`${ids}-when`} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-zone`}>Time zone</label>
            <select id={`${ids}-zone`} value={zone} onChange={(e) => setZone(e.target.value)}>
              {zones(zone).map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </div>
        </div>
        <BestTimeHints workspace={workspace} accounts={accounts.filter((a) => chosen.includes(a.id))} zone={zone} value={when} onPick={setWhen} />
        <ProblemAlert problem={problem} />
        {fieldMessages.length > 0 && (
          <ul className="field-error" aria-label="What to fix">
            {fieldMessages.map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        )}
        {done && <Alert tone="info">{done}</Alert>}
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => submit('draft')}>
            Save draft
          </button>
          <button type="submit" disabled={busy || blocked || !when}>
            Schedule
          </button>
          <button type="button" className="secondary" disabled={busy || blocked} onClick={() => submit('queue')}>
            Add to queue
          </button>
          <button type="button" disabled={busy || blocked} onClick={() => submit('now')}>
            Publish now
          </button>
        </div>
      </form>
    </section>
  );
}

function Counter({ preview }: { preview: TargetPreview }) {
  const { used, limit, unit } = preview.length;
  const over = used > limit;
  return (
    <span className={over ? 'counter counter-over' : 'counter'} aria-label={`${used} of ${limit} ${unit}`}>
      {used}/{limit}
    </span>
  );
}

function Issues({ preview }: { preview: TargetPreview }) {
  const issues = issuesOf(preview);
  if (issues.length === 0) return <p className="small">Ready for {preview.network}.</p>;
  return (
    <ul className="issues" aria-label={`Checks for @${preview.handle}`}>
      {issues.map((i) => (
        <li key={`${i.code}-${i.field}`} className={`issue issue-${i.severity}`}>
          <strong>{i.severity}</strong>: {i.message}
        </li>
      ))}
    </ul>
  );
}

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}
