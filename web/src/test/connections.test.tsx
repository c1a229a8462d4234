import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { connections } from '../api/connections';
import { publishing, type Account } from '../api/publishing';
import { AccountsPage } from '../pages/publishing/AccountsPage';
import { ConnectCallback } from '../pages/publishing/ConnectCallback';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const account = (over: Partial<Account>): Account => ({
  id: 'a1',
  network: 'x',
  networkLabel: 'X',
  sandbox: false,
  handle: 'brand',
  displayName: 'Brand',
  createdAt: '2026-12-01T00:00:00Z',
  health: 'active',
  scopes: [],
  ...over,
});

const networks = [
  { network: 'x', label: 'X', connectFlow: 'oauth', configured: true },
  { network: 'linkedin', label: 'LinkedIn', connectFlow: 'oauth', configured: false },
  { network: 'mastodon', label: 'Mastodon', connectFlow: 'oauth_per_instance', configured: true },
  { network: 'bluesky', label: 'Bluesky', connectFlow: 'app_password', configured: true },
  { network: 'sandbox', label: 'Sandbox', connectFlow: 'none', configured: true },
];

describe('AccountsPage', () => {
  it('offers each network its own way in and says which are not set up', async () => {
    vi.spyOn(publishing, 'accounts').mockResolvedValue([]);
    vi.spyOn(connections, 'networks').mockResolvedValue(networks);
    const start = vi.spyOn(connections, 'start').mockResolvedValue();
    render(<AccountsPage workspace="w1" canConnect />);

    fireEvent.click(await screen.findByRole('button', { name: 'Connect X' }));
    expect(start).toHaveBeenCalledWith('w1', 'x');
    expect(screen.getByText(/Not set up on this server/)).toHaveTextContent('Not set up on this server: LinkedIn (an administrator sets networks.<name>.client_id');
    expect(screen.queryByRole('button', { name: 'Connect LinkedIn' })).toBeNull();

    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Connect Mastodon' })).toBeEnabled());
    fireEvent.change(screen.getByLabelText('Mastodon server'), { target: { value: ' fosstodon.org ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect Mastodon' }));
    expect(start).toHaveBeenLastCalledWith('w1', 'mastodon', 'fosstodon.org');
  });

  it('connects Bluesky with an app password and shows the field the server refused', async () => {
    vi.spyOn(publishing, 'accounts').mockResolvedValue([]);
    vi.spyOn(connections, 'networks').mockResolvedValue(networks);
    const refused = new ApiError(422, 'VALIDATION_ERROR', 'some fields are invalid', { appPassword: 'give an app password made in the network\u2019s settings' }, 'req-1');
    const appPassword = vi.spyOn(connections, 'appPassword').mockRejectedValue(refused);
    render(<AccountsPage workspace="w1" canConnect />);
    fireEvent.change(await screen.findByLabelText('Bluesky handle or e-mail'), { target: { value: 'me.bsky.social' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect Bluesky' }));
    expect(await screen.findByText(/give an app password/)).toBeInTheDocument();
    expect(appPassword).toHaveBeenCalledWith('w1', 'bluesky', 'me.bsky.social', '', '');
  });

  it('shows health and offers a reconnect for an account whose access expired', async () => {
    vi.spyOn(publishing, 'accounts').mockResolvedValue([account({ health: 'expired', lastError: 'X no longer accepts this account\u2019s access' })]);
    vi.spyOn(connections, 'networks').mockResolvedValue(networks);
    const start = vi.spyOn(connections, 'start').mockResolvedValue();
    render(<AccountsPage workspace="w1" canConnect />);
    expect(await screen.findByText('Access expired: reconnect')).toBeInTheDocument();
    expect(screen.getByText(/no longer accepts/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(start).toHaveBeenCalledWith('w1', 'x', undefined);
  });
});

describe('ConnectCallback', () => {
  it('completes once and lets the person pick among several accounts', async () => {
    const complete = vi.spyOn(connections, 'complete').mockResolvedValue({
      accounts: [],
      pending: {
        id: 'p1',
        network: 'facebook',
        expiresAt: '2026-12-01T01:00:00Z',
        candidates: [
          { platformAccountId: '111', handle: 'shop', displayName: 'The Shop', kind: 'page' },
          { platformAccountId: '222', handle: 'cafe', displayName: 'The Cafe', kind: 'page' },
        ],
      },
    });
    const select = vi.spyOn(connections, 'select').mockResolvedValue([]);
    render(<ConnectCallback workspace="w1" params={new URLSearchParams('code=c1&state=s1')} />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /The Cafe/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Connect 1 account' }));
    expect(select).toHaveBeenCalledWith('w1', 'p1', ['111']);
    expect(complete).toHaveBeenCalledTimes(1);
    expect(complete).toHaveBeenCalledWith('w1', 's1', 'c1');
  });

  it('says plainly when the person refused at the network', async () => {
    const complete = vi.spyOn(connections, 'complete');
    render(<ConnectCallback workspace="w1" params={new URLSearchParams('error=access_denied&error_description=The+user+denied')} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The network did not grant access: The user denied.');
    expect(complete).not.toHaveBeenCalled();
  });
});
