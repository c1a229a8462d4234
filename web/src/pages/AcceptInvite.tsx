import { useState } from 'react';
import { api } from '../api/client';
import type { Workspace } from '../api/types';
import { AuthCard } from '../components/Layout';
import { ProblemAlert, noProblem, problemOf, type Problem } from '../components/forms';
import { navigate } from '../router';

export function AcceptInvite({ token, signedIn, onJoined }: { token: string; signedIn: boolean; onJoined: (w: Workspace) => void }) {
  const [problem, setProblem] = useState<Problem>(noProblem);

  if (!signedIn) {
    const next = encodeURIComponent(`/invite?token=${token}`);
    return (
      <AuthCard title="You were invited">
        <p>Log in (or create an account) with the invited e-mail address to join the workspace.</p>
        <button onClick={() => navigate(`/login?next=${next}`)}>Log in</button>
        <button className="secondary" onClick={() => navigate('/signup')}>
          Create an account
        </button>
      </AuthCard>
    );
  }

  async function accept() {
    try {
      const workspace = await api.post<Workspace>('/api/v1/invitations/accept', { token });
      onJoined(workspace);
      navigate('/');
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <AuthCard title="Join the workspace">
      <ProblemAlert problem={problem} />
      <button onClick={accept}>Accept the invitation</button>
    </AuthCard>
  );
}
