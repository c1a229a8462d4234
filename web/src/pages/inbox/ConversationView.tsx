// One conversation: its messages oldest first, mark read, and the reply form.

import { useEffect, useRef, useState } from 'react';
import { inbox, type Conversation, type ConversationMessages, type Message } from '../../api/inbox';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { kindLabel } from './ConversationList';
import { ReplyForm } from './ReplyForm';

interface Props {
  workspace: string;
  id: string;
  canReply: boolean;
  onChanged: (c: Conversation) => void;
}

export function ConversationView({ workspace, id, canReply, onChanged }: Props) {
  const [data, setData] = useState<ConversationMessages | null>(null);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setData(null);
    setReplyTo(null);
    setProblem(noProblem);
    inbox.messages(workspace, id).then(setData, (e) => setProblem(problemOf(e)));
  }, [workspace, id]);

  // Opening a conversation moves focus to it (below the list on a phone).
  const loaded = data?.conversation.id;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  async function markRead() {
    setProblem(noProblem);
    try {
      const conversation = await inbox.markRead(workspace, id);
      setData((d) => (d ? { ...d, conversation } : d));
      onChanged(conversation);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  if (!data) return problem.message ? <ProblemAlert problem={problem} /> : <p role="status">Loading the conversation…</p>;
  const c = data.conversation;
  return (
    <section className="conversation-view" aria-label={`Conversation with ${c.handle}`}>
      <header className="inline">
        <h3 ref={heading} tabIndex={-1}>
          {c.handle} <span className="small">{c.network} · {kindLabel(c.kind)}</span>
        </h3>
        {canReply && c.unread > 0 && (
          <button type="button" className="secondary" onClick={markRead}>
            Mark read
          </button>
        )}
      </header>
      <ProblemAlert problem={problem} />
      {data.messages.length === 0 ? (
        <p>No messages in this conversation.</p>
      ) : (
        <ol className="messages" aria-label="Messages">
          {data.messages.map((m) => (
            <li key={m.id} className={`message${m.outgoing ? ' outgoing' : ''}`}>
              <span className="small">
                {m.outgoing ? `${m.author}${m.sentBy ? ` (sent by ${m.sentBy})` : ''}` : m.author} · <time dateTime={m.at}>{new Date(m.at).toLocaleString()}</time>
              </span>
              <p className="pre">{m.text}</p>
              {canReply && !m.outgoing && (
                <button type="button" className="link" onClick={() => setReplyTo(m)} aria-label={`Reply to ${m.author}: ${m.text.slice(0, 40)}`}>
                  Reply to this
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {canReply && (
        <ReplyForm
          workspace={workspace}
          conversation={id}
          replyTo={replyTo}
          onCancelReplyTo={() => setReplyTo(null)}
          onSent={(m) => {
            setReplyTo(null);
            setData((d) => (d ? { ...d, messages: [...d.messages, m] } : d));
          }}
        />
      )}
    </section>
  );
}
