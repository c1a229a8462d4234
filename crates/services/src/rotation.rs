//! Re-encryption after `zenalto admin rotate-key`: every ciphertext sealed with an older key is
//! decrypted and sealed again with the active key, in one transaction, so a failure leaves all
//! data readable under the keyring as it was.

use zenalto_store::{StoreError, repo::users};

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
        tx.commit().await.map_err(StoreError::from)?;
        Ok(count)
    }
}
