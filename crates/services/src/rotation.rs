//! Re-encryption after `zenalto admin rotate-key`: every ciphertext sealed with an older key is
//! decrypted and sealed again with the active key, in one transaction, so a failure leaves all
//! data readable under the keyring as it was.

use zenalto_store::{
    Conn, StoreError,
    repo::{ai, connections, social_accounts, users},
};

use crate::{Result, ServiceError, Services};

impl Services {
    /// Returns how many secrets were re-encrypted.
    pub async fn reencrypt_secrets(&self) -> Result<usize> {
        let keyring = &self.keys.keyring;
        let mut tx = self.db.begin().await?;
        let mut count = 0;
        for (user_id, sealed) in users::all_totp_secrets(&mut tx).await? {
            if keyring.needs_reencryption(&sealed) {
                let plain = keyring.decrypt(&sealed).map_err(|e| ServiceError::Internal(format!("user {user_id}: {e}")))?;
                let resealed = keyring.encrypt(&plain).map_err(ServiceError::internal)?;
                users::replace_totp_secret(&mut tx, &user_id, &resealed).await?;
                count += 1;
            }
        }
        // AI provider keys, inside each workspace's stored chain.
        for (workspace, providers) in ai::all_settings(&mut tx).await? {
            let mut chain: Vec<serde_json::Value> =
                serde_json::from_str(&providers).map_err(|e| ServiceError::Internal(format!("AI settings of workspace {workspace}: {e}")))?;
            let mut changed = false;
            for provider in &mut chain {
                let Some(sealed) = provider["key"].as_str().filter(|k| keyring.needs_reencryption(k)).map(str::to_owned) else { continue };
                let plain = keyring.decrypt(&sealed).map_err(|e| ServiceError::Internal(format!("AI key of workspace {workspace}: {e}")))?;
                provider["key"] = serde_json::Value::String(keyring.encrypt(&plain).map_err(ServiceError::internal)?);
                changed = true;
                count += 1;
            }
            if changed {
                let providers = serde_json::to_string(&chain).map_err(ServiceError::internal)?;
                ai::replace_providers(&mut tx, &workspace, &providers).await?;
            }
        }
        count += self.reencrypt_connection_secrets(&mut tx).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(count)
    }
}

impl Services {
    /// Network tokens, PKCE verifiers of connects in progress, per-instance client secrets and
    /// the tokens of grants waiting for a pick.
    async fn reencrypt_connection_secrets(&self, tx: &mut Conn) -> Result<usize> {
        let keyring = &self.keys.keyring;
        let reseal = |sealed: &str| -> Result<Option<String>> {
            if !keyring.needs_reencryption(sealed) {
                return Ok(None);
            }
            let plain = keyring.decrypt(sealed).map_err(|e| ServiceError::Internal(format!("a network secret: {e}")))?;
            keyring.encrypt(&plain).map(Some).map_err(ServiceError::internal)
        };
        let mut count = 0;
        for (id, access, refresh) in social_accounts::all_sealed_tokens(tx).await? {
            let new_access = access.as_deref().map(reseal).transpose()?.flatten();
            let new_refresh = refresh.as_deref().map(reseal).transpose()?.flatten();
            if new_access.is_some() || new_refresh.is_some() {
                count += usize::from(new_access.is_some()) + usize::from(new_refresh.is_some());
                social_accounts::replace_sealed_tokens(tx, &id, new_access.as_deref().or(access.as_deref()), new_refresh.as_deref().or(refresh.as_deref())).await?;
            }
        }
        for (state_hash, verifier) in connections::all_sealed_verifiers(tx).await? {
            if let Some(resealed) = reseal(&verifier)? {
                connections::replace_sealed_verifier(tx, &state_hash, &resealed).await?;
                count += 1;
            }
        }
        for (network, instance, redirect_uri, secret) in connections::all_sealed_client_secrets(tx).await? {
            if let Some(resealed) = reseal(&secret)? {
                connections::replace_sealed_client_secret(tx, &network, &instance, &redirect_uri, &resealed).await?;
                count += 1;
            }
        }
        for (id, candidates) in connections::all_pending(tx).await? {
            let mut list: Vec<serde_json::Value> = serde_json::from_str(&candidates).map_err(|e| ServiceError::Internal(format!("pending connection {id}: {e}")))?;
            let mut changed = false;
            for candidate in &mut list {
                for field in ["accessToken", "refreshToken"] {
                    let Some(sealed) = candidate[field].as_str().map(str::to_owned) else { continue };
                    if let Some(resealed) = reseal(&sealed)? {
                        candidate[field] = serde_json::Value::String(resealed);
                        changed = true;
                        count += 1;
                    }
                }
            }
            if changed {
                connections::replace_pending_candidates(tx, &id, &serde_json::to_string(&list).map_err(ServiceError::internal)?).await?;
            }
        }
        Ok(count)
    }
}
