"use client";

import { useState } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { formatWhen } from "@/app/_components/format";
import { createApiToken } from "../actions/create-api-token";
import { revokeApiToken } from "../actions/revoke-api-token";
import { ActionError, useSettingsAction } from "../use-settings-action";

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

const formatTime = (iso: string | null) => (iso ? formatWhen(new Date(iso)) : "Never");

/** The caller's own tokens for this team: the secret is shown once, right after creation. */
export function TokensView({ teamName, tokens }: { teamName: string; tokens: TokenRow[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const creating = useSettingsAction(createApiToken);
  const revoking = useSettingsAction(revokeApiToken);
  return (
    <>
      <h2 className="section-title">API tokens</h2>
      <p className="muted">
        Tokens act as you, with your role in {teamName}. Use them as <code>Authorization: Bearer &lt;token&gt;</code>; see{" "}
        <a href="/api/v1/openapi.json">the API description</a>.
      </p>
      <form
        className="card settings-form"
        aria-label="Create an API token"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          creating.run({ name: String(new FormData(form).get("name") ?? "") }, (data) => {
            setSecret(data.secret);
            form.reset();
          });
        }}
      >
        <label>
          Token name <input name="name" required placeholder="e.g. deploy script" />
        </label>{" "}
        <button type="submit" className="button button-primary" disabled={!creating.ready}>
          Create token
        </button>
        <ActionError error={creating.error} />
        {secret ? (
          <p>
            Copy it now; it is not shown again:{" "}
            <input readOnly aria-label="New API token" value={secret} size={60} onFocus={(event) => event.target.select()} />{" "}
            <CopyButton text={secret} label="Copy this token" />
          </p>
        ) : null}
      </form>
      <ActionError error={revoking.error} />
      <table className="table card">
        <thead>
          <tr>
            <th>Name</th>
            <th>Starts with</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} data-testid="token-row">
              <td>{token.name}</td>
              <td>
                <code>{token.prefix}…</code>
              </td>
              <td>{formatTime(token.createdAt)}</td>
              <td>{formatTime(token.lastUsedAt)}</td>
              <td>
                {token.revoked ? (
                  <span className="muted">Revoked</span>
                ) : (
                  <button type="button" className="button" disabled={!revoking.ready} onClick={() => revoking.run({ tokenId: token.id })}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
