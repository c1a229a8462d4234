import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Session } from '../api/types';
import { AuthCard } from '../components/Layout';
import { Alert, Field, ProblemAlert, noProblem, problemOf, type Problem } from '../components/forms';
import { navigate } from '../router';

export function VerifyEmail({ email: initialEmail }: { email: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    try {
      const session = await api.post<Session>('/api/v1/auth/verify-email', { email, code: code.trim() });
      api.setSession(session);
      navigate('/');
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  async function resend() {
    setProblem(noProblem);
    try {
      await api.post('/api/v1/auth/resend-verification', { email });
      setNotice('A new code is on its way. Earlier codes no longer work.');
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <AuthCard title="Check your e-mail">
      <p>We sent a 6-digit code to {email || 'your address'}. It is valid for 10 minutes.</p>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        {notice && <Alert tone="info">{notice}</Alert>}
        {!initialEmail && <Field label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={problem.fields.email} />}
        <Field
          label="Verification code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={problem.fields.code}
        />
        <button type="submit">Verify</button>
        <button type="button" className="link" onClick={resend}>
          Send a new code
        </button>
      </form>
    </AuthCard>
  );
}
