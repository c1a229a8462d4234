import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { keys } from '../api/keys';
import { ApiKeysPanel } from '../pages/home/ApiKeysPanel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('ApiKeysPanel', () => {
  it('creates a key with the chosen scopes, shows its secret once, and shows refusals beside the field', async () => {
    vi.spyOn(keys, 'list').mockResolvedValue({ items: [] });
    const create = vi
      .spyOn(keys, 'create')
      .mockRejectedValueOnce(new ApiError(422, 'VALIDATION_ERROR', 'some fields are invalid', { name: 'must not be empty' }, 'req-1'))
      .mockResolvedValueOnce({
        key: { id: 'k1', name: 'CI', prefix: 'zk_abc', kind: 'personal', role: 'owner', scopes: ['post:read'], createdAt: '2026-11-30T00:00:00Z' },
        secret: 'zk_abc_secret',
      });
    render(<ApiKeysPanel workspace="w1" permissions={['post:read', 'post:create']} canManageWorkspaceKeys={false} />);
    await screen.findByText('No keys yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('must not be empty')).toBeInTheDocument();
    expect(screen.getByLabelText('Key name')).toHaveAttribute('aria-invalid', 'true');

    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'CI' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'post:read' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('zk_abc_secret')).toBeInTheDocument();
    expect(create).toHaveBeenLastCalledWith('w1', { name: 'CI', kind: 'personal', scopes: ['post:read'], role: null });
    expect(screen.queryByRole('option', { name: /Workspace/ })).toBeNull();
  });
});
