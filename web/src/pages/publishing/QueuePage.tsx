// The queue: what is scheduled next, and each account's weekly posting slots, which "Add to
// queue" in the composer fills in order.

import { useCallback, useEffect, useId, useState } from 'react';
import { localZone, publishing, queue, type Account, type Post, type PostingSlots } from '../../api/publishing';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export function QueuePage({ workspace, canEditSlots }: { workspace: string; canEditSlots: boolean }) {
  const [upcoming, setUpcoming] = useState<Post[] | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [problem, setProblem] = useState<Problem>(noProblem);

  const load = useCallback(() => {
    queue.upcoming(workspace).then(setUpcoming, (e) => setProblem(problemOf(e)));
    publishing.accounts(workspace).then(setAccounts, (e) => setProblem(problemOf(e)));
  }, [workspace]);
  useEffect(load, [load]);

  return (
    <>
      <section className="panel" aria-labelledby="queue-title">
        <h2 id="queue-title">Up next</h2>
        <ProblemAlert problem={problem} />
        {upcoming === null ? (
          <p role="status">Loading…</p>
        ) : upcoming.length === 0 ? (
          <p>Nothing is scheduled. Write a post and schedule it, or add it to the queue.</p>
        ) : (
          <ol className="post-list">
            {[...upcoming]
              .sort((a, b) => (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? ''))
              .map((p) => (
                <li key={p.id} className="chip">
                  {p.targets.map((t) => (
                    <span key={t.id} className={`network-dot network-${t.network}`} title={t.network} aria-hidden="true" />
                  ))}
                  <span className="chip-time">{p.scheduledAt ? new Date(p.scheduledAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''}</span>{' '}
                  {String((p.content as { text?: string }).text ?? '')}
                </li>
              ))}
          </ol>
        )}
      </section>
      {accounts.map((a) => (
        <SlotsEditor key={a.id} workspace={workspace} account={a} canEdit={canEditSlots} onSaved={load} />
      ))}
    </>
  );
}

function SlotsEditor({ workspace, account, canEdit, onSaved }: { workspace: string; account: Account; canEdit: boolean; onSaved: () => void }) {
  const stored = account.postingSlots as PostingSlots | null | undefined;
  const [zone, setZone] = useState(stored?.zone ?? localZone());
  const [slots, setSlots] = useState(stored?.slots ?? []);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [saved, setSaved] = useState(false);
  const id = useId();

  async function save(value: PostingSlots | null) {
    setProblem(noProblem);
    setSaved(false);
    try {
      await queue.setSlots(workspace, account.id, value);
      setSaved(true);
      if (!value) setSlots([]);
      onSaved();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  const change = (i: number, field: 'day' | 'time', value: string) => setSlots((s) => s.map((slot, j) => (j === i ? { ...slot, [field]: value } : slot)));

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        Posting slots of @{account.handle} <span className="badge">{account.networkLabel}</span>
      </h2>
      {slots.length === 0 && <p className="small">No slots: "Add to queue" needs at least one.</p>}
      <fieldset disabled={!canEdit} className="slots">
        <legend className="visually-hidden">Slots of @{account.handle}</legend>
        {slots.map((slot, i) => (
          <div className="inline" key={i}>
            <label className="inline-label">
              Day{' '}
              <select value={slot.day} onChange={(e) => change(i, 'day', e.target.value)}>
                {DAYS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </label>
            <label className="inline-label">
              Time <input type="time" value={slot.time} onChange={(e) => change(i, 'time', e.target.value)} />
            </label>
            <button type="button" className="secondary" onClick={() => setSlots((s) => s.filter((_, j) => j !== i))}>
              Remove<span className="visually-hidden"> slot {i + 1}</span>
            </button>
          </div>
        ))}
        <label className="inline-label">
          Time zone{' '}
          <input value={zone} onChange={(e) => setZone(e.target.value)} aria-invalid={problem.message ? true : undefined} />
        </label>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setSlots((s) => [...s, { day: 'monday', time: '09:00' }])}>
            Add a slot
          </button>
          <button type="button" onClick={() => save(slots.length ? { zone, slots } : null)}>
            Save slots
          </button>
        </div>
      </fieldset>
      <ProblemAlert problem={problem} />
      {Object.values(problem.fields).map((m) => (
        <p key={m} className="field-error">
          {m}
        </p>
      ))}
      {saved && <Alert tone="info">Saved.</Alert>}
    </section>
  );
}
