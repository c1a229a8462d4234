import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { List, SessionInfo, TotpSetup, User } from '../../api/types';
import { Alert, Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function SecurityPanel({ user, onChanged }: { user: User; onChanged: () => void }) {
  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <Sessions />
      <TwoFactor user={user} onChanged={onChanged} />
      <ChangePassword />
    </section>
  );
}

function Sessions() {
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const load = () => api.get<List<SessionInfo>>('/api/v1/me/sessions').then((l) => setSessions(l.items), (e) => setProblem(problemOf(e)));
  useEffect(() => {
    load();
  }, []);

  async function revoke(id: string) {
    try {
      await api.delete(`/api/v1/me/sessions/${id}`);
      await load();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <div>
      <h3>Signed-in sessions</h3>
      <ProblemAlert problem={problem} />
      <ul className="sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            <span>
              {s.userAgent ?? 'Unknown device'} · {s.ip ?? '?'} · last used {new Date(s.lastUsedAt).toLocaleString()}
              {s.current && <strong> (this session)</strong>}
            </span>
            {!s.current && (
              <button className="secondary" onClick={() => revoke(s.id)} aria-label={`Sign out session from ${s.userAgent ?? 'unknown device'}`}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function TwoFactor({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Problem>(noProblem);

  async function start() {
    try {
      setSetup(await api.post<TotpSetup>('/api/v1/me/2fa/setup'));
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  async function enable(event: FormEvent) {
    event.preventDefault();
    try {
      const result = await api.post<{ recoveryCodes: string[] }>('/api/v1/me/2fa/enable', { code: code.trim() });
      setRecovery(result.recoveryCodes);
      setSetup(null);
      setCode('');
      setProblem(noProblem);
      onChanged();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  async function disable(event: FormEvent) {
    event.preventDefault();
    try {
      await api.post('/api/v1/me/2fa/disable', { password, code: code.trim() });
      setCode('');
      setPassword('');
      setProblem(noProblem);
      onChanged();
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <div>
      <h3>Two-factor authentication</h3>
      <ProblemAlert problem={problem} />
      {recovery && (
        <Alert tone="info">
          Save these recovery codes now; each works once and they are not shown again:
          <ul className="codes">
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {user.twoFactorEnabled ? (
        <form onSubmit={disable} className="inline" noValidate aria-label="Disable two-factor authentication">
          <p>Two-factor authentication is on.</p>
          <Field label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} error={problem.fields.password} />
          <Field label="Current code or recovery code" value={code} onChange={(e) => setCode(e.target.value)} error={problem.fields.code} />
          <button type="submit" className="secondary">
            Turn off
          </button>
        </form>
      ) : setup ? (
        <form onSubmit={enable} noValidate aria-label="Enable two-factor authentication">
          <p>Add this key to your authenticator app, then enter the code it shows.</p>
          <p>
            Key: <code>{setup.secret}</code>
          </p>
          <p className="small">
            Or open: <code>{setup.otpauthUrl}</code>
          </p>
          <Field label="Code" inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} error={problem.fields.code} />
          <button type="submit">Turn on</button>
        </form>
      ) : (
        <button onClick={start}>Set up two-factor authentication</button>
      )}
    </div>
  );
}

function ChangePassword() {
  const [form, setForm] = useState({ currentPassword: '', code: '', newPassword: '' });
  const [codeSent, setCodeSent] = useState(false);
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [done, setDone] = useState(false);

  async function sendCode() {
    try {
      await api.post('/api/v1/me/password/code');
      setCodeSent(true);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await api.post('/api/v1/me/password', { ...form, code: form.code.trim() });
      setDone(true);
      setProblem(noProblem);
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <div>
      <h3>Password</h3>
      <ProblemAlert problem={problem} />
      {done ? (
        <Alert tone="info">Password changed; your other sessions were signed out.</Alert>
      ) : !codeSent ? (
        <button className="secondary" onClick={sendCode}>
          Change password
        </button>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Change password">
          <p>We mailed you a code to confirm the change.</p>
          <Field label="Current password" type="password" value={form.currentPassword} onChange={(e) => setForm({ ...form, currentPassword: e.target.value })} error={problem.fields.currentPassword} />
          <Field label="Code from the e-mail" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          <Field label="New password" type="password" value={form.newPassword} onChange={(e) => setForm({ ...form, newPassword: e.target.value })} error={problem.fields.newPassword} />
          <button type="submit">Change password</button>
        </form>
      )}
    </div>
  );
}
