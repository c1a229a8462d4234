import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { AuthCard } from '../components/Layout';
import { Alert, Field, ProblemAlert, noProblem, problemOf, type Problem } from '../components/forms';
import { navigate } from '../router';

export function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await api.post('/api/v1/auth/password/forgot', { email });
      navigate(`/reset?email=${encodeURIComponent(email)}`);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <AuthCard title="Reset your password">
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        <Field label="E-mail" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={problem.fields.email} />
        <button type="submit">Send a reset code</button>
      </form>
    </AuthCard>
  );
}

export function ResetPassword({ email: initialEmail }: { email: string }) {
  const [form, setForm] = useState({ email: initialEmail, code: '', newPassword: '' });
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    try {
      await api.post('/api/v1/auth/password/reset', { ...form, code: form.code.trim() });
      setDone(true);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  if (done) {
    return (
      <AuthCard title="Password changed">
        <Alert tone="info">Your password was changed and every session was signed out.</Alert>
        <button onClick={() => navigate('/login')}>Log in</button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <p>If an account exists for that address, a 6-digit code is on its way.</p>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        <Field label="E-mail" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={problem.fields.email} />
        <Field label="Code" inputMode="numeric" autoComplete="one-time-code" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        <Field
          label="New password (at least 10 characters)"
          type="password"
          autoComplete="new-password"
          value={form.newPassword}
          onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
          error={problem.fields.newPassword}
        />
        <button type="submit">Set new password</button>
      </form>
    </AuthCard>
  );
}
