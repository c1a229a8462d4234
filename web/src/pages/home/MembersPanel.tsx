import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ROLES, type Invitation, type List, type Member, type Role, type Workspace } from '../../api/types';
import { Alert, Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function MembersPanel({ workspace, canInvite }: { workspace: Workspace; canInvite: boolean }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [problem, setProblem] = useState<Problem>(noProblem);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    api.get<List<Member>>(`/api/v1/workspaces/${workspace.id}/members`).then((l) => setMembers(l.items), (e) => setProblem(problemOf(e)));
    if (canInvite) {
      api.get<List<Invitation>>(`/api/v1/workspaces/${workspace.id}/invitations`).then((l) => setInvitations(l.items), () => setInvitations([]));
    }
  }, [workspace.id, canInvite]);

  async function invite(event: FormEvent) {
    event.preventDefault();
    setProblem(noProblem);
    try {
      const invitation = await api.post<Invitation>(`/api/v1/workspaces/${workspace.id}/invitations`, { email, role });
      setInvitations((list) => [invitation, ...list]);
      setNotice(`Invitation sent to ${invitation.email}.`);
      setEmail('');
    } catch (error) {
      setProblem(problemOf(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members of {workspace.name}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>{m.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canInvite && (
        <form onSubmit={invite} className="inline" noValidate aria-label="Invite a member">
          <ProblemAlert problem={problem} />
          {notice && <Alert tone="info">{notice}</Alert>}
          <Field label="Invite by e-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={problem.fields.email} />
          <div className="field">
            <label htmlFor="invite-role">Role</label>
            <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Invite</button>
        </form>
      )}
      {invitations.length > 0 && (
        <>
          <h3>Open invitations</h3>
          <ul>
            {invitations.map((i) => (
              <li key={i.id}>
                {i.email} as {i.role}, until {new Date(i.expiresAt).toLocaleDateString()}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
