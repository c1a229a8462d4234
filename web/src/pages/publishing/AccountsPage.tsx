// Connected accounts: each account with its network and health (reconnect when access expired),
// connecting real networks (OAuth, a Mastodon server's address, a Bluesky app password) and the
// sandbox, and disconnecting (which revokes at the network where it can).

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { connections, healthText, type NetworkOption } from '../../api/connections';
import { publishing, type Account } from '../../api/publishing';
import { Field, ProblemAlert, noProblem, problemOf, type Problem } from '../../components/forms';

export function AccountsPage({ workspace, canConnect }: { workspace: string; canConnect: boolean }) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [networks, setNetworks] = useState<NetworkOption[]>([]);
  const [handle, setHandle] = useState('');
  const [problem, setProblem] = useState<Problem>(noProblem);
  // Which form the problem's field errors belong to (several forms share field names).
  const [problemOwner, setProblemOwner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    publishing.accounts(workspace).then(setAccounts, (e) => setProblem(problemOf(e)));
    connections.networks(workspace).then(setNetworks, () => setNetworks([]));
  }, [workspace]);
  useEffect(load, [load]);

  /** Runs an action with the busy flag and the problem alert; `owner` names the form it came from. */
  async function attempt(action: () => Promise<void>, owner: string | null = null) {
    setBusy(true);
    setProblem(noProblem);
    setProblemOwner(owner);
    try {
      await action();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  function connectSandbox(event: FormEvent) {
    event.preventDefault();
    void attempt(async () => {
      await publishing.connectSandbox(workspace, handle.trim());
      setHandle('');
      load();
    });
  }

  function disconnect(account: Account) {
    if (!window.confirm(`Disconnect @${account.handle} (${account.networkLabel})? Scheduled posts to it will not go out.`)) return;
    void attempt(async () => {
      await publishing.disconnect(workspace, account.id);
      load();
    });
  }

  const real = networks.filter((n) => n.connectFlow !== 'none');
  const ready = real.filter((n) => n.configured);
  const notSetUp = real.filter((n) => !n.configured);

  return (
    <section className="panel" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Connected accounts</h2>
      {accounts === null ? (
        <p role="status">Loading…</p>
      ) : accounts.length === 0 ? (
        <p>No accounts yet. Connect a network below, or a sandbox account to try the whole flow without credentials.</p>
      ) : (
        <ul className="accounts">
          {accounts.map((a) => (
            <li key={a.id}>
              <span className={`network-dot network-${a.network}`} aria-hidden="true" />
              <strong>{a.displayName}</strong> <span className="small">@{a.handle}</span> <span className="badge">{a.networkLabel}</span>
              {a.sandbox ? (
                <span className="badge badge-sandbox">sandbox: posts stay in Zenalto</span>
              ) : (
                <span className={`badge health-${a.health}`} title={a.lastError ?? undefined}>
                  {healthText(a.health)}
                </span>
              )}
              {a.health !== 'active' && a.lastError && <p className="small field-error">{a.lastError}</p>}
              {canConnect && !a.sandbox && a.health !== 'active' && (
                <button className="secondary" disabled={busy} onClick={() => void attempt(() => connections.start(workspace, a.network, a.instanceUrl ?? undefined))}>
                  Reconnect
                </button>
              )}
              {canConnect && (
                <button className="secondary" disabled={busy} onClick={() => disconnect(a)} aria-label={`Disconnect @${a.handle}`}>
                  Disconnect
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canConnect && real.length > 0 && (
        <>
          <h3>Connect a network</h3>
          {notSetUp.length > 0 && (
            <p className="small">
              Not set up on this server: {notSetUp.map((n) => n.label).join(', ')} (an administrator sets <code>networks.&lt;name&gt;.client_id</code>; see
              docs/networks).
            </p>
          )}
          <ul className="connect-list">
            {ready.map((n) => (
              <li key={n.network}>
                <NetworkConnect
                  workspace={workspace}
                  option={n}
                  busy={busy}
                  attempt={(action) => attempt(action, n.network)}
                  problem={problemOwner === n.network ? problem : noProblem}
                  onConnected={load}
                />
              </li>
            ))}
          </ul>
        </>
      )}
      {canConnect && (
        <form onSubmit={connectSandbox} className="inline" aria-label="Connect a sandbox account" noValidate>
          <Field label="Sandbox handle" value={handle} onChange={(e) => setHandle(e.target.value)} error={problemOwner === null ? problem.fields.handle : undefined} required />
          <button type="submit" disabled={busy}>
            Connect sandbox account
          </button>
        </form>
      )}
      <ProblemAlert problem={problem} />
    </section>
  );
}

interface ConnectProps {
  workspace: string;
  option: NetworkOption;
  busy: boolean;
  attempt: (action: () => Promise<void>) => Promise<void>;
  problem: Problem;
  onConnected: () => void;
}

/** One network's way in: a button, a server address, or an app password form. */
function NetworkConnect({ workspace, option, busy, attempt, problem, onConnected }: ConnectProps) {
  const [instance, setInstance] = useState('');
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const label = option.label;

  if (option.connectFlow === 'oauth') {
    return (
      <button disabled={busy} onClick={() => void attempt(() => connections.start(workspace, option.network))}>
        Connect {label}
      </button>
    );
  }
  if (option.connectFlow === 'oauth_per_instance') {
    return (
      <form
        className="inline"
        aria-label={`Connect ${label}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(() => connections.start(workspace, option.network, instance.trim()));
        }}
      >
        <Field label={`${label} server`} placeholder="mastodon.social" value={instance} onChange={(e) => setInstance(e.target.value)} error={problem.fields.instanceUrl} required />
        <button type="submit" disabled={busy}>
          Connect {label}
        </button>
      </form>
    );
  }
  return (
    <form
      className="inline"
      aria-label={`Connect ${label}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void attempt(async () => {
          await connections.appPassword(workspace, option.network, identifier.trim(), password, instance.trim());
          setPassword('');
          onConnected();
        });
      }}
    >
      <Field label={`${label} handle or e-mail`} value={identifier} onChange={(e) => setIdentifier(e.target.value)} error={problem.fields.identifier} required />
      <Field label="App password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} error={problem.fields.appPassword} required />
      <Field label="Server (optional)" placeholder="https://bsky.social" value={instance} onChange={(e) => setInstance(e.target.value)} error={problem.fields.instanceUrl} />
      <button type="submit" disabled={busy}>
        Connect {label}
      </button>
    </form>
  );
}
