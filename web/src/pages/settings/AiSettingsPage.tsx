// AI settings: the workspace's provider chain (primary first, then fallbacks; keys are sent once
// and never shown again), the monthly budget, and this month's spend per provider and model.
// With no provider the built-in local engine answers, which the page says.

import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { aiSettings, dollars, type AiUsage, type ProviderInput, type ProviderView } from '../../api/ai';
import { Alert, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';
import { BrandVoicePanel } from './BrandVoicePanel';

const KINDS = [
  { kind: 'openai', label: 'OpenAI-compatible (OpenAI, Ollama, vLLM, llama.cpp…)', url: 'https://api.openai.com/v1' },
  { kind: 'anthropic', label: 'Anthropic', url: 'https://api.anthropic.com' },
  { kind: 'gemini', label: 'Google Gemini', url: 'https://generativelanguage.googleapis.com' },
];

interface Row extends ProviderInput {
  keySet: boolean;
}

export function AiSettingsPage({ workspace, canEdit }: { workspace: string; canEdit: boolean }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [budget, setBudget] = useState('');
  const [usage, setUsage] = useState<AiUsage | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = useCallback((providers: ProviderView[], budgetMicros?: number | null) => {
    setRows(providers.map((p) => ({ ...p, apiKey: '' })));
    setBudget(budgetMicros == null ? '' : String(budgetMicros / 1_000_000));
  }, []);

  useEffect(() => {
    aiSettings.get(workspace).then((s) => show(s.providers, s.monthlyBudgetMicros), (e) => setProblem(problemOf(e)));
    aiSettings.usage(workspace).then(setUsage, () => setUsage(null));
  }, [workspace, show]);

  const update = (index: number, change: Partial<Row>) => setRows((list) => (list ?? []).map((r, i) => (i === index ? { ...r, ...change } : r)));
  const move = (index: number, by: number) =>
    setRows((list) => {
      const next = [...(list ?? [])];
      const [row] = next.splice(index, 1);
      next.splice(Math.max(0, Math.min(next.length, index + by)), 0, row);
      return next;
    });

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setProblem(noProblem);
    const amount = budget.trim() === '' ? null : Number(budget);
    if (amount !== null && (!Number.isFinite(amount) || amount < 0)) {
      setProblem({ message: 'The monthly budget is an amount in US dollars, like 20 or 7.50.', fields: { budget: 'an amount in US dollars' } });
      setBusy(false);
      return;
    }
    try {
      const providers: ProviderInput[] = (rows ?? []).map(({ keySet: _keySet, apiKey, ...p }) => ({ ...p, ...(apiKey ? { apiKey } : {}) }));
      const stored = await aiSettings.put(workspace, providers, amount === null ? null : Math.round(amount * 1_000_000));
      show(stored.providers, stored.monthlyBudgetMicros);
      setSaved(true);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section className="panel" aria-labelledby="ai-title">
        <h2 id="ai-title">AI providers</h2>
        <p className="small">
          Zenalto tries the providers in order and falls back to the next one, then to its built-in local engine, which needs no key.
          Keys are encrypted at rest and never shown again.
        </p>
        {rows === null ? (
          <p role="status">Loading…</p>
        ) : (
          <form onSubmit={save} aria-label="AI providers" noValidate>
            {rows.length === 0 && <p>No provider: the built-in local engine writes and analyses (free).</p>}
            <ol className="providers">
              {rows.map((row, index) => (
                <ProviderRow key={index} row={row} index={index} last={index === rows.length - 1} disabled={!canEdit} onChange={(c) => update(index, c)} onMove={(by) => move(index, by)} onRemove={() => setRows(rows.filter((_, i) => i !== index))} problem={problem} />
              ))}
            </ol>
            {canEdit && (
              <button type="button" className="secondary" onClick={() => setRows([...rows, { kind: 'openai', baseUrl: KINDS[0].url, model: '', keySet: false, apiKey: '' }])}>
                Add a provider
              </button>
            )}
            <div className="field">
              <label htmlFor="ai-budget">Monthly budget in US dollars (empty: no budget)</label>
              <input id="ai-budget" inputMode="decimal" value={budget} disabled={!canEdit} onChange={(e) => setBudget(e.target.value)} aria-invalid={problem.fields.budget ? true : undefined} />
            </div>
            {canEdit && (
              <button type="submit" disabled={busy}>
                Save
              </button>
            )}
            {saved && <Alert tone="info">Saved.</Alert>}
            <ProblemAlert problem={problem} />
          </form>
        )}
      </section>
      {usage && (
        <section className="panel" aria-labelledby="usage-title">
          <h2 id="usage-title">This month</h2>
          <p>
            Spent {dollars(usage.spentMicros)}
            {usage.monthlyBudgetMicros != null && <> of {dollars(usage.monthlyBudgetMicros)}</>}; cache {usage.cacheHits} hits, {usage.cacheMisses} misses.
          </p>
          {usage.lines.length > 0 && (
            <table>
              <caption className="small">Per provider and model</caption>
              <thead>
                <tr>
                  <th>Provider</th>
                  <th>Model</th>
                  <th>Requests</th>
                  <th>Tokens in / out</th>
                  <th>Cost</th>
                </tr>
              </thead>
              <tbody>
                {usage.lines.map((l) => (
                  <tr key={`${l.provider}/${l.model}`}>
                    <td>{l.provider}</td>
                    <td>{l.model}</td>
                    <td>{l.requests}</td>
                    <td>
                      {l.inputTokens} / {l.outputTokens}
                    </td>
                    <td>{dollars(l.costMicros)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <BrandVoicePanel workspace={workspace} canEdit={canEdit} />
    </>
  );
}

interface RowProps {
  row: Row;
  index: number;
  last: boolean;
  disabled: boolean;
  problem: Problem;
  onChange: (change: Partial<Row>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}

function ProviderRow({ row, index, last, disabled, problem, onChange, onMove, onRemove }: RowProps) {
  const id = useId();
  const field = (name: string) => problem.fields[`providers[${index}].${name}`] ?? problem.fields[`providers.${index}.${name}`];
  const text = (name: keyof Row, label: string, extra: Partial<React.InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} disabled={disabled} value={String(row[name] ?? '')} onChange={(e) => onChange({ [name]: e.target.value })} aria-invalid={field(name) ? true : undefined} {...extra} />
      {field(name) && <p className="field-error">{field(name)}</p>}
    </div>
  );
  const price = (name: 'inputPrice' | 'outputPrice', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} inputMode="decimal" disabled={disabled} value={row[name] ?? ''} onChange={(e) => onChange({ [name]: e.target.value === '' ? null : Number(e.target.value) })} />
    </div>
  );
  return (
    <li aria-label={`Provider ${index + 1}${index === 0 ? ' (primary)' : ' (fallback)'}`}>
      <div className="inline">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} disabled={disabled} value={row.kind} onChange={(e) => onChange({ kind: e.target.value, baseUrl: KINDS.find((k) => k.kind === e.target.value)?.url ?? row.baseUrl })}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        {text('baseUrl', 'Base URL')}
        {text('model', 'Model')}
        {text('cheapModel', 'Cheap model for simple tasks (optional)')}
      </div>
      <div className="inline">
        {price('inputPrice', 'USD per million input tokens')}
        {price('outputPrice', 'USD per million output tokens')}
        {text('apiKey', row.keySet ? 'API key (stored; type to replace)' : 'API key', { type: 'password', autoComplete: 'off' })}
      </div>
      {!disabled && (
        <div className="inline">
          <button type="button" className="secondary" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move provider ${index + 1} up`}>
            Up
          </button>
          <button type="button" className="secondary" disabled={last} onClick={() => onMove(1)} aria-label={`Move provider ${index + 1} down`}>
            Down
          </button>
          <button type="button" className="secondary" onClick={onRemove} aria-label={`Remove provider ${index + 1}`}>
            Remove
          </button>
        </div>
      )}
    </li>
  );
}
