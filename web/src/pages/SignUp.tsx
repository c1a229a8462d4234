import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { AuthCard } from '../components/Layout';
import { Field, ProblemAlert, noProblem, problemOf, type Problem } from '../components/forms';
import { navigate } from '../router';

export function SignUp() {
  const [form, setForm] = useState({ name: '', email: '', password: '', workspaceName: '' });
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(noProblem);
    try {
      const body = { ...form, workspaceName: form.workspaceName.trim() || undefined };
      await api.post('/api/v1/auth/register', body);
      navigate(`/verify?email=${encodeURIComponent(form.email.trim())}`);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        <Field label="Your name" autoComplete="name" value={form.name} onChange={set('name')} error={problem.fields.name} required />
        <Field label="E-mail" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={problem.fields.email} required />
        <Field
          label="Password (at least 10 characters)"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={problem.fields.password}
          required
        />
        <Field label="Workspace name (optional)" value={form.workspaceName} onChange={set('workspaceName')} error={problem.fields.workspaceName} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="aside">
        Already have an account? <a href="/login" onClick={(e) => (e.preventDefault(), navigate('/login'))}>Log in</a>
      </p>
    </AuthCard>
  );
}
