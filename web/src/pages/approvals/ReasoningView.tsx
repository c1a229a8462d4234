// Why the agents wrote a draft: theme, angle and strategy, the content choice, the review (brand
// voice and risk flags, which do not block but travel to the approver) and why that time.

import type { ReactNode } from 'react';
import type { Reasoning } from '../../api/approvals';

export function ReasoningView({ reasoning }: { reasoning: Reasoning }) {
  const { theme, angle, strategy, content, review, slot } = reasoning;
  const flags = review?.flags ?? [];
  return (
    <details className="reasoning" open={flags.length > 0}>
      <summary>
        Why the agents wrote this{flags.length > 0 && <> · {flags.length === 1 ? '1 flag' : `${flags.length} flags`} to check</>}
      </summary>
      <dl>
        {theme && <Item term="Theme">{theme}</Item>}
        {angle && <Item term="Angle">{angle.replace(/_/g, ' ')}</Item>}
        {strategy && <Item term="Strategy">{strategy}</Item>}
        {content?.pickedBecause && (
          <Item term="Chosen because">
            {content.pickedBecause}
            {content.engine && <span className="small"> (written by {content.engine === 'local' ? 'the local engine' : content.engine})</span>}
          </Item>
        )}
        {review?.voiceScore != null && (
          <Item term="Brand voice">
            {review.voiceScore}/100{review.voiceFindings && review.voiceFindings.length > 0 && <>: {review.voiceFindings.join('; ')}</>}
          </Item>
        )}
        {flags.length > 0 && (
          <Item term="Flags">
            <ul className="flags">
              {flags.map((f) => (
                <li key={`${f.rule}-${f.matched}`}>{f.message}</li>
              ))}
            </ul>
          </Item>
        )}
        {slot?.why && <Item term="Why this time">{slot.why}</Item>}
      </dl>
    </details>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
