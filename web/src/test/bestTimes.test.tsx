import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextWallTime, type BestTimes } from '../api/ai';
import type { Account } from '../api/publishing';
import { Composer } from '../pages/publishing/Composer';
import { envelope, json, routedFetch } from './helpers';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const account = (id: string, network: string, label: string, handle: string): Account => ({
  id,
  network,
  networkLabel: label,
  sandbox: network === 'sandbox',
  handle,
  displayName: handle,
  createdAt: '2026-11-30T00:00:00Z',
  health: 'active',
  scopes: [],
});

// Tuesday 1 December 2026, 05:00 UTC (06:00 in Berlin, 14:00 in Tokyo, Monday 21:00 in Los Angeles).
const NOW = new Date('2026-12-01T05:00:00Z');

describe('nextWallTime', () => {
  it('finds the next such hour of the week in the zone, never the current hour', () => {
    expect(nextWallTime(1, 18, 'UTC', NOW)).toBe('2026-12-01T18:00');
    expect(nextWallTime(1, 5, 'UTC', NOW)).toBe('2026-12-08T05:00');
    expect(nextWallTime(0, 9, 'UTC', NOW)).toBe('2026-12-07T09:00');
    expect(nextWallTime(1, 14, 'Asia/Tokyo', NOW)).toBe('2026-12-08T14:00');
    expect(nextWallTime(1, 15, 'Asia/Tokyo', NOW)).toBe('2026-12-01T15:00');
    expect(nextWallTime(0, 22, 'America/Los_Angeles', NOW)).toBe('2026-11-30T22:00');
    expect(nextWallTime(6, 10, 'America/Los_Angeles', NOW)).toBe('2026-12-06T10:00');
  });
});

const history: BestTimes = {
  accountId: 'a1',
  network: 'sandbox',
  timeZone: 'Europe/Berlin',
  slots: [
    { weekday: 1, hour: 18, score: 2.49, posts: 12, confidence: 0.85 },
    { weekday: 3, hour: 12, score: 1.4, posts: 9, confidence: 0.7 },
    { weekday: 0, hour: 9, score: 1.2, posts: 1, confidence: 0.6 },
  ],
  samples: 72,
  priorWeight: 9.6,
  confidence: 0.72,
  source: 'account_history',
  note: 'ranked by this account’s own engagement',
};

const thin: BestTimes = {
  ...history,
  accountId: 'a2',
  slots: [{ weekday: 4, hour: 17, score: 1.3, posts: 0, confidence: 0 }],
  samples: 3,
  confidence: 0.1,
  source: 'account_history_and_prior',
  note: 'few posts: the ranking leans on the assumed prior',
};

const BEST = /\/api\/v1\/workspaces\/w1\/accounts\/(a\d)\/best-times\?/;

describe('Best-time hints in the schedule picker', () => {
  it('asks for the chosen accounts in the picker zone and sets the picker to the next such time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const double = routedFetch([
      { method: 'GET', url: /\/accounts$/, respond: () => json(200, [account('a1', 'sandbox', 'Sandbox', 'bakery'), account('a2', 'bluesky', 'Bluesky', 'festival'), account('a3', 'x', 'X', 'gone')]) },
      { method: 'POST', url: /\/posts\/preview$/, respond: () => json(200, []) },
      {
        method: 'GET',
        url: BEST,
        respond: (c) => {
          const id = BEST.exec(c.path)?.[1];
          return id === 'a1' ? json(200, history) : id === 'a2' ? json(200, thin) : envelope(404, 'NOT_FOUND', 'That account is not connected to this workspace.');
        },
      },
    ]);
    vi.stubGlobal('fetch', double.fetcher);
    render(<Composer workspace="w1" />);

    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: /Sandbox @bakery/ }));
    const bakery = await screen.findByRole('group', { name: 'Best times for @bakery' });
    const chip = await within(bakery).findByRole('button', { name: /^Tue 18:00 · 2\.5× · from 12 posts, confidence 85%/ });
    expect(chip).toHaveTextContent('Tue 18:00 · 2.5× · from 12 posts');
    expect(within(bakery).getByRole('button', { name: /^Mon 09:00 · 1\.2× · from 1 post,/ })).toBeInTheDocument();
    expect(within(bakery).getByText(/From 72 of this account's posts with figures/)).toBeInTheDocument();

    const calls = double.to('GET', BEST);
    expect(calls.at(-1)?.path).toBe('/api/v1/workspaces/w1/accounts/a1/best-times?timeZone=Europe%2FBerlin&limit=3');

    fireEvent.click(chip);
    expect(screen.getByLabelText('Date and time')).toHaveValue('2026-12-01T18:00');
    expect(chip).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(screen.getByRole('checkbox', { name: /Bluesky @festival/ }));
    const festival = await screen.findByRole('group', { name: 'Best times for @festival' });
    const estimate = await within(festival).findByRole('button', { name: /^Fri 17:00 · 1\.3× · estimate from typical engagement,/ });
    expect(within(festival).getByText(/Only 3 of this account's posts have figures so far/)).toBeInTheDocument();
    fireEvent.click(estimate);
    expect(screen.getByLabelText('Date and time')).toHaveValue('2026-12-04T17:00');

    fireEvent.click(screen.getByRole('checkbox', { name: /X @gone/ }));
    const gone = await screen.findByRole('group', { name: 'Best times for @gone' });
    expect(await within(gone).findByText('That account is not connected to this workspace.')).toBeInTheDocument();
  });
});
