import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aiSettings, brandVoice } from '../api/ai';
import { AiSettingsPage } from '../pages/settings/AiSettingsPage';

// The brand voice panel on the same page has its own tests (brandVoice.test.tsx).
beforeEach(() => {
  vi.spyOn(brandVoice, 'get').mockResolvedValue({ profile: null, sources: null, updatedAt: null });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const stored = {
  providers: [{ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3', cheapModel: null, inputPrice: null, outputPrice: null, keySet: true }],
  monthlyBudgetMicros: 20_000_000,
};
const usage = { since: '2026-12-01T00:00:00Z', spentMicros: 1_250_000, monthlyBudgetMicros: 20_000_000, lines: [{ provider: 'openai', model: 'llama3', requests: 3, inputTokens: 900, outputTokens: 300, costMicros: 1_250_000 }], cacheHits: 2, cacheMisses: 3 };

describe('AiSettingsPage', () => {
  it('keeps stored keys unless replaced, reorders the chain and saves the budget in micro-dollars', async () => {
    vi.spyOn(aiSettings, 'get').mockResolvedValue(stored);
    vi.spyOn(aiSettings, 'usage').mockResolvedValue(usage);
    const put = vi.spyOn(aiSettings, 'put').mockResolvedValue(stored);
    render(<AiSettingsPage workspace="w1" canEdit />);

    expect(await screen.findByLabelText('API key (stored; type to replace)')).toHaveValue('');
    expect(screen.getByText(/Spent \$1\.25 of \$20\.00/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add a provider' }));
    const second = screen.getByRole('listitem', { name: 'Provider 2 (fallback)' });
    fireEvent.change(second.querySelector('select') as HTMLSelectElement, { target: { value: 'anthropic' } });
    fireEvent.change(screen.getAllByLabelText('Model')[1], { target: { value: 'claude-sonnet' } });
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'sk-ant-secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move provider 2 up' }));
    fireEvent.change(screen.getByLabelText(/Monthly budget/), { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await screen.findByText('Saved.');
    const [, providers, budget] = put.mock.calls[0];
    expect(budget).toBe(7_500_000);
    expect(providers.map((p) => [p.kind, p.model, p.apiKey])).toEqual([
      ['anthropic', 'claude-sonnet', 'sk-ant-secret'],
      ['openai', 'llama3', undefined],
    ]);
    expect(providers[0].baseUrl).toBe('https://api.anthropic.com');
  });

  it('refuses a budget that is not an amount before asking the server', async () => {
    vi.spyOn(aiSettings, 'get').mockResolvedValue({ providers: [], monthlyBudgetMicros: null });
    vi.spyOn(aiSettings, 'usage').mockResolvedValue({ ...usage, lines: [], spentMicros: 0, monthlyBudgetMicros: null });
    const put = vi.spyOn(aiSettings, 'put');
    render(<AiSettingsPage workspace="w1" canEdit />);
    expect(await screen.findByText(/the built-in local engine writes and analyses/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Monthly budget/), { target: { value: 'twenty' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The monthly budget is an amount in US dollars');
    expect(put).not.toHaveBeenCalled();
  });

  it('shows the chain read-only to people who may not change it', async () => {
    vi.spyOn(aiSettings, 'get').mockResolvedValue(stored);
    vi.spyOn(aiSettings, 'usage').mockRejectedValue(new Error('no'));
    render(<AiSettingsPage workspace="w1" canEdit={false} />);
    expect(await screen.findByLabelText('Model')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});
