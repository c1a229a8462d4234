import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { Session } from '../api/types';
import { AuthCard } from '../components/Layout';
import { Field, ProblemAlert, noProblem, problemOf, type Problem } from '../components/forms';
import { navigate } from '../router';

export function Login({ next = '/' }: { next?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState<'none' | 'totp' | 'recovery'>('none');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(noProblem);
    const body: Record<string, string> = { email, password };
    if (secondFactor === 'totp') body.totpCode = code.trim();
    if (secondFactor === 'recovery') body.recoveryCode = code.trim();
    try {
      const session = await api.post<Session>('/api/v1/auth/login', body);
      api.setSession(session);
      navigate(next);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TWO_FACTOR_REQUIRED') {
        setSecondFactor('totp');
      } else if (error instanceof ApiError && error.code === 'EMAIL_NOT_VERIFIED') {
        navigate(`/verify?email=${encodeURIComponent(email)}`);
        return;
      } else {
        setProblem(problemOf(error));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title={secondFactor === 'none' ? 'Log in' : 'Two-factor authentication'}>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        {secondFactor === 'none' ? (
          <>
            <Field label="E-mail" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
            <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </>
        ) : (
          <>
            <Field
              label={secondFactor === 'totp' ? 'Code from your authenticator app' : 'Recovery code'}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="button" className="link" onClick={() => (setCode(''), setSecondFactor(secondFactor === 'totp' ? 'recovery' : 'totp'))}>
              {secondFactor === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app instead'}
            </button>
          </>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="aside">
        <a href="/forgot" onClick={(e) => (e.preventDefault(), navigate('/forgot'))}>Forgot your password?</a> ·{' '}
        <a href="/signup" onClick={(e) => (e.preventDefault(), navigate('/signup'))}>Create an account</a>
      </p>
    </AuthCard>
  );
}
