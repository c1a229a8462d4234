import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import { AcceptInvite } from './pages/AcceptInvite';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { ForgotPassword, ResetPassword } from './pages/Password';
import { SignUp } from './pages/SignUp';
import { VerifyEmail } from './pages/VerifyEmail';
import { navigate, useLocation } from './router';

/** Pages reachable without a session. */
const PUBLIC = ['/signup', '/verify', '/login', '/forgot', '/reset', '/invite'];

export function App() {
  const location = useLocation();
  const [signedIn, setSignedIn] = useState<boolean | null>(null);

  useEffect(() => api.onSession((s) => setSignedIn(s !== null)), []);
  useEffect(() => {
    // A stored refresh token restores the session after a reload.
    api.refresh().then((ok) => setSignedIn(ok));
  }, []);

  const signOut = useCallback(() => {
    api.setSession(null);
    navigate('/login');
  }, []);

  if (signedIn === null) return <p className="loading" role="status">Loading…</p>;
  const path = location.pathname;
  const param = (name: string) => location.searchParams.get(name) ?? '';

  if (path === '/invite') return <AcceptInvite token={param('token')} signedIn={signedIn} onJoined={() => undefined} />;
  if (!signedIn) {
    if (path === '/signup') return <SignUp />;
    if (path === '/verify') return <VerifyEmail email={param('email')} />;
    if (path === '/forgot') return <ForgotPassword />;
    if (path === '/reset') return <ResetPassword email={param('email')} />;
    return <Login next={param('next') || '/'} />;
  }
  if (PUBLIC.includes(path)) return <Redirect to="/" />;
  return <Home onSignOut={signOut} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}
