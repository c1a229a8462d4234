//! Re-encryption after `zenalto admin rotate-key`: every ciphertext sealed with an older key is
//! decrypted and sealed again with the active key, in one transaction, so a failure leaves all
//! data readable under the keyring as it was.

use zenalto_store::{
    StoreError,
    repo::{ai, users},
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
        tx.commit().await.map_err(StoreError::from)?;
        Ok(count)
    }
}
