import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { ApiError } from '../api/client';
import { Login } from '../pages/Login';
import { SignUp } from '../pages/SignUp';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const apiError = (status: number, code: string, message: string, details: Record<string, unknown> | null = null) =>
  new ApiError(status, code, message, details, 'req-1');

describe('SignUp', () => {
  it('shows the server message and each field error beside its field', async () => {
    vi.spyOn(api, 'post').mockRejectedValueOnce(
      apiError(422, 'VALIDATION_ERROR', 'some fields are invalid', { email: 'must be a valid e-mail address', password: 'must be at least 10 characters' }),
    );
    render(<SignUp />);
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('some fields are invalid');
    const email = screen.getByLabelText('E-mail');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')).toHaveTextContent('must be a valid e-mail address');
    expect(screen.getByText('must be at least 10 characters')).toBeInTheDocument();
    expect(screen.getByLabelText('Your name')).not.toHaveAttribute('aria-invalid');
  });
});

describe('Login', () => {
  it('asks for the authenticator code on TWO_FACTOR_REQUIRED and sends it', async () => {
    const post = vi
      .spyOn(api, 'post')
      .mockRejectedValueOnce(apiError(401, 'TWO_FACTOR_REQUIRED', 'enter the code from your authenticator app'))
      .mockRejectedValueOnce(apiError(401, 'INVALID_CREDENTIALS', 'email or password is incorrect'));
    render(<Login />);
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'ada@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    const codeField = await screen.findByLabelText('Code from your authenticator app');
    expect(screen.getByRole('heading')).toHaveTextContent('Two-factor authentication');
    fireEvent.change(codeField, { target: { value: ' 123456 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('email or password is incorrect');
    expect(post).toHaveBeenLastCalledWith('/api/v1/auth/login', { email: 'ada@example.org', password: 'correct horse battery', totpCode: '123456' });
  });
});
