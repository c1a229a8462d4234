// One post awaiting approval: its text, where it goes, when it is proposed for, why the agents
// wrote it, and the decisions (approve, edit then approve, reject with a reason).

import { useId, useState, type FormEvent } from 'react';
import { approvals, editOf, postText, reasoningOf, type QueueEntry } from '../../api/approvals';
import { ApiError } from '../../api/client';
import type { Account, ScheduleBody } from '../../api/publishing';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { ReasoningView } from './ReasoningView';

type Mode = 'view' | 'time' | 'edit' | 'reject';

interface Props {
  workspace: string;
  entry: QueueEntry;
  accounts: Account[];
  zone: string;
  canPublish: boolean;
  onDone: (message: string) => void;
  /** The post moved on (409): the queue is read again, this card keeping its edit. */
  onStale: (message: string) => void;
}

export function formatIn(instant: string, zone: string): string {
  return new Date(instant).toLocaleString(undefined, { timeZone: zone, dateStyle: 'full', timeStyle: 'short' });
}

export function ApprovalCard({ workspace, entry, accounts, zone, canPublish, onDone, onStale }: Props) {
  const { post, trail } = entry;
  const text = postText(post);
  const [mode, setMode] = useState<Mode>('view');
  const [edited, setEdited] = useState(text);
  const [when, setWhen] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);
  /** The version the edit started from: when the queue brings a newer one, the latest text is shown. */
  const [editedFrom, setEditedFrom] = useState(post.version);
  const id = useId();
  const proposed = post.scheduledAt ?? null;
  const { reasoning, note, runId } = reasoningOf(trail);
  const account = (accountId: string) => accounts.find((a) => a.id === accountId);
  const label = post.targets.map((t) => `${account(t.accountId)?.networkLabel ?? t.network} @${account(t.accountId)?.handle ?? t.accountId}`).join(', ');

  function open(next: Mode) {
    setProblem(noProblem);
    if (next === 'edit') setEditedFrom(post.version);
    setMode(next);
  }

  async function act(run: () => Promise<string>) {
    setBusy(true);
    setProblem(noProblem);
    try {
      onDone(await run());
    } catch (e) {
      const shown = problemOf(e);
      setProblem(shown);
      if (e instanceof ApiError && e.status === 409) onStale(shown.message ?? e.message);
    } finally {
      setBusy(false);
    }
  }

  /** The time chosen here, or none (the proposed time) — undefined when one is needed but missing. */
  function schedule(): ScheduleBody | null | undefined {
    if (when) return { localTime: when, timeZone: zone };
    return proposed ? null : undefined;
  }

  const scheduled = (at: string | null | undefined) => (at ? `Approved: scheduled for ${formatIn(at, zone)}.` : 'Approved.');

  function approve(event?: FormEvent) {
    event?.preventDefault();
    const body = schedule();
    if (body === undefined) {
      setMode('time');
      setProblem({ message: 'This post has no proposed time: choose when to publish it.', fields: { when: 'choose a date and time' } });
      return;
    }
    void act(async () => scheduled((await approvals.approve(workspace, post.id, body ? { schedule: body } : {})).post.scheduledAt));
  }

  function approveEdited(event: FormEvent) {
    event.preventDefault();
    const body = schedule();
    if (post.version !== editedFrom) return setProblem({ message: 'The post changed while you were editing: start again from the latest text or keep your edit first.', fields: {} });
    if (edited.trim() === '') return setProblem({ message: 'The post needs some text.', fields: { text: 'write the post' } });
    if (body === undefined) return setProblem({ message: 'This post has no proposed time: choose when to publish it.', fields: { when: 'choose a date and time' } });
    void act(async () => {
      const answer = await approvals.approve(workspace, post.id, { edit: editOf(post, edited), version: post.version, ...(body ? { schedule: body } : {}) });
      return scheduled(answer.post.scheduledAt);
    });
  }

  function reject(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') {
      setProblem({ message: 'Say why you reject it: the reason is kept on the post and the agents read it before their next draft.', fields: { reason: 'say why' } });
      return;
    }
    void act(async () => {
      await approvals.reject(workspace, post.id, reason.trim());
      return 'Rejected: the post is back in drafts with your reason.';
    });
  }

  const whenField = (
    <div className="field">
      <label htmlFor={`${id}-when`}>When to publish ({zone})</label>
      <input autoFocus={mode === 'time'} id={`${id}-when`} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} aria-invalid={problem.fields.when ? true : undefined} />
    </div>
  );

  return (
    <li className="approval" aria-labelledby={`${id}-to`}>
      <p className="approval-meta">
        <span id={`${id}-to`}>
          {post.targets.map((t) => (
            <span key={t.accountId} className={`network-dot network-${t.network}`} aria-hidden="true" />
          ))}{' '}
          <strong>{label || 'No account'}</strong>
        </span>
        <span className="small">
          {proposed ? (
            <>
              Proposed for <time dateTime={proposed}>{formatIn(proposed, zone)}</time>
              {post.timeZone && post.timeZone !== zone && <> (planned in {post.timeZone})</>}
            </>
          ) : (
            'No proposed time'
          )}
          {' · '}
          {runId ? 'written by the agents' : 'submitted by a person'}
        </span>
      </p>

      {mode === 'edit' ? (
        <form onSubmit={approveEdited} aria-label="Edit then approve" noValidate>
          {post.version !== editedFrom && (
            <div className="alert alert-info" role="status">
              <p>Someone changed this post while you were editing. The latest text:</p>
              <p className="post-text">{text}</p>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setEdited(text);
                  setEditedFrom(post.version);
                }}
              >
                Start again from the latest text
              </button>
              <button type="button" className="secondary" onClick={() => setEditedFrom(post.version)}>
                Keep my edit
              </button>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-text`}>Post text</label>
            <textarea autoFocus id={`${id}-text`} rows={5} value={edited} onChange={(e) => setEdited(e.target.value)} aria-invalid={problem.fields.text ? true : undefined} />
          </div>
          {!proposed && whenField}
          <ProblemAlert problem={problem} />
          <button type="submit" disabled={busy}>
            Save and approve
          </button>
          <button type="button" className="secondary" onClick={() => open('view')}>
            Cancel
          </button>
        </form>
      ) : (
        <p className="post-text">{text || <em>(no text)</em>}</p>
      )}

      {note && <p className="small">Note: {note}</p>}
      {reasoning && <ReasoningView reasoning={reasoning} />}

      {mode === 'time' && (
        <form onSubmit={approve} aria-label="Approve at a time" noValidate>
          {whenField}
          <ProblemAlert problem={problem} />
          <button type="submit" disabled={busy || !when}>
            Approve at this time
          </button>
          <button type="button" className="secondary" onClick={() => open('view')}>
            Cancel
          </button>
        </form>
      )}

      {mode === 'reject' && (
        <form onSubmit={reject} aria-label="Reject" noValidate>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Why reject it? (required)</label>
            <textarea
              autoFocus
              id={`${id}-reason`}
              rows={3}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={problem.fields.reason ? true : undefined}
              aria-describedby={`${id}-reason-help`}
            />
            <p className="small" id={`${id}-reason-help`}>
              Kept on the post and for its accounts; the agents avoid it next time.
            </p>
          </div>
          <ProblemAlert problem={problem} />
          <button type="submit" disabled={busy}>
            Reject
          </button>
          <button type="button" className="secondary" onClick={() => open('view')}>
            Cancel
          </button>
        </form>
      )}

      {mode === 'view' && (
        <>
          <ProblemAlert problem={problem} />
          {canPublish ? (
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => (proposed ? approve() : open('time'))}>
                {proposed ? 'Approve' : 'Approve…'}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => open('edit')}>
                Edit then approve
              </button>
              {proposed && (
                <button type="button" className="secondary" disabled={busy} onClick={() => open('time')}>
                  Approve at another time
                </button>
              )}
              <button type="button" className="secondary" disabled={busy} onClick={() => open('reject')}>
                Reject…
              </button>
            </div>
          ) : null}
        </>
      )}
    </li>
  );
}
