// Best-time hints for the schedule picker: per chosen account, its top hours of the week in the
// picker's zone (GET …/best-times), as chips that set the picker to the next such time. Where
// the ranking leans on the assumed prior rather than the account's posts, the hint says so.

import { useEffect, useId, useState } from 'react';
import { bestTimes, nextWallTime, priorDominates, slotLabel, type BestSlot, type BestTimes } from '../../api/ai';
import type { Account } from '../../api/publishing';
import { problemOf } from '../../components/forms';

type Answer = { times: BestTimes } | { error: string };

interface Props {
  workspace: string;
  accounts: Account[];
  zone: string;
  /** The picker's current value, to mark the chip it came from. */
  value: string;
  onPick: (localTime: string) => void;
}

export function BestTimeHints({ workspace, accounts, zone, value, onPick }: Props) {
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const id = useId();
  const key = accounts.map((a) => a.id).join(',');

  useEffect(() => {
    if (!key) return;
    let current = true;
    setAnswers({});
    for (const account of key.split(',')) {
      bestTimes.get(workspace, account, zone, 3).then(
        (times) => current && setAnswers((a) => ({ ...a, [account]: { times } })),
        (e) => current && setAnswers((a) => ({ ...a, [account]: { error: problemOf(e).message ?? 'The best times could not be found.' } })),
      );
    }
    return () => {
      current = false;
    };
  }, [workspace, key, zone]);

  if (accounts.length === 0) return null;
  return (
    <section className="best-times" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Best times to post ({zone})</h3>
      {accounts.map((account) => {
        const answer = answers[account.id];
        return (
          <div key={account.id} className="best-times-account" role="group" aria-label={`Best times for @${account.handle}`}>
            <span className="small">
              {account.networkLabel} @{account.handle}
            </span>
            {!answer ? (
              <span className="small" role="status">
                {' '}
                Finding the best times…
              </span>
            ) : 'error' in answer ? (
              <p className="field-error">{answer.error}</p>
            ) : (
              <Hints times={answer.times} zone={zone} value={value} onPick={onPick} />
            )}
          </div>
        );
      })}
    </section>
  );
}

function Hints({ times, zone, value, onPick }: { times: BestTimes; zone: string; value: string; onPick: (localTime: string) => void }) {
  if (times.slots.length === 0) return <p className="small">No hours to suggest yet.</p>;
  return (
    <>
      <ul className="hint-chips">
        {times.slots.map((slot) => {
          const at = nextWallTime(slot.weekday, slot.hour, zone);
          const text = chipText(times, slot);
          return (
            <li key={`${slot.weekday}-${slot.hour}`}>
              <button
                type="button"
                className="hint-chip"
                aria-pressed={value === at}
                aria-label={`${text}, confidence ${Math.round(slot.confidence * 100)}%: schedule for ${at.replace('T', ' ')}`}
                title={`Confidence ${Math.round(slot.confidence * 100)}%`}
                onClick={() => onPick(at)}
              >
                {text}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="small">
        {times.samples === 0
          ? "None of this account's posts has figures yet: these hours are an estimate from typical engagement, not measured."
          : priorDominates(times)
            ? `Only ${times.samples} of this account's posts have figures so far, so the estimate from typical engagement still weighs in.`
            : `From ${times.samples} of this account's posts with figures (confidence ${Math.round(times.confidence * 100)}%).`}
      </p>
    </>
  );
}

/** "Tue 18:00 · 2.5× · from 12 posts", or "… · estimate from typical engagement" where the prior dominates. */
export function chipText(times: BestTimes, slot: BestSlot): string {
  const base = `${slotLabel(slot)} · ${slot.score.toFixed(1)}×`;
  const from = slot.posts > 0 ? ` · from ${slot.posts} ${slot.posts === 1 ? 'post' : 'posts'}` : '';
  return priorDominates(times, slot) ? `${base}${from} · estimate from typical engagement` : `${base}${from}`;
}
