// Replying through the account's network: to a chosen message, or by default the latest received
// one. A network's refusal (502 with its reason, 422 when too long) is shown as the API words it.

import { useId, useState, type FormEvent } from 'react';
import { inbox, type Message } from '../../api/inbox';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

interface Props {
  workspace: string;
  conversation: string;
  replyTo: Message | null;
  onCancelReplyTo: () => void;
  onSent: (m: Message) => void;
}

export function ReplyForm({ workspace, conversation, replyTo, onCancelReplyTo, onSent }: Props) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const id = useId();

  async function send(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(noProblem);
    try {
      const sent = await inbox.reply(workspace, conversation, text, replyTo?.id ?? null);
      setText('');
      onSent(sent);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  const error = problem.fields.text;
  return (
    <form className="reply" onSubmit={send} aria-label="Reply">
      {replyTo && (
        <p className="small">
          Replying to {replyTo.author}{' '}
          <button type="button" className="link" onClick={onCancelReplyTo}>
            reply to the latest instead
          </button>
        </p>
      )}
      <label htmlFor={`${id}-text`}>Your reply</label>
      <textarea
        id={`${id}-text`}
        rows={3}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) send(e);
        }}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <ProblemAlert problem={error ? noProblem : problem} />
      <button type="submit" disabled={busy || !text.trim()}>
        {busy ? 'Sending…' : 'Send reply'}
      </button>
    </form>
  );
}
