//! Optional TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step) with ten single-use
//! recovery codes. The seed is stored encrypted; it only becomes active once the user proves
//! their authenticator produces matching codes.

use totp_rs::{Algorithm, Builder, Totp};
use zenalto_domain::UserId;
use zenalto_store::{
    Conn, StoreError,
    repo::{recovery_codes, users, users::UserRow},
};

use crate::{
    RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto,
};

pub struct TotpSetup {
    /// Base32 seed for manual entry.
    pub secret: String,
    pub otpauth_url: String,
}

const RECOVERY_CODES: usize = 10;

impl Services {
    /// Starts (or restarts) enrolment with a fresh seed. Refused while two-factor is enabled.
    pub async fn setup_totp(&self, user: UserId) -> Result<TotpSetup> {
        let mut tx = self.db.begin().await?;
        let row = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        if row.totp_enabled_at.is_some() {
            return Err(ServiceError::Conflict { field: None, message: "two-factor authentication is already enabled".into() });
        }
        let seed = crypto::random_bytes::<20>().to_vec();
        let totp = totp(seed.clone(), &row.email)?;
        let sealed = self.keys.keyring.encrypt(&hex::encode(&seed)).map_err(ServiceError::internal)?;
        users::set_totp(&mut tx, user, Some(&sealed), None).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(TotpSetup { secret: totp.secret().to_base32(), otpauth_url: totp.to_url().map_err(ServiceError::internal)? })
    }

    /// Confirms enrolment with a current code; returns the recovery codes (shown once).
    pub async fn enable_totp(&self, user: UserId, code: &str, meta: &RequestMeta) -> Result<Vec<String>> {
        let mut tx = self.db.begin().await?;
        let row = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        if row.totp_enabled_at.is_some() {
            return Err(ServiceError::Conflict { field: None, message: "two-factor authentication is already enabled".into() });
        }
        if row.totp_secret.is_none() {
            return Err(ServiceError::Conflict { field: None, message: "start two-factor setup first".into() });
        }
        if !self.accept_totp(&mut tx, &row, code).await? {
            return Err(ServiceError::field("code", "does not match your authenticator; check the device's clock"));
        }
        let now = self.now();
        users::enable_totp(&mut tx, user, now).await?;
        let codes = self.replace_recovery_codes(&mut tx, user).await?;
        let event = Event { action: "auth.two_factor_enabled", resource_type: "user", resource_id: Some(user.to_string()), changes: None };
        audit::record_account(&mut tx, user, &row.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(codes)
    }

    /// Turns two-factor off; needs the password and a current code (or a recovery code).
    pub async fn disable_totp(&self, user: UserId, password: String, code: &str, meta: &RequestMeta) -> Result<()> {
        let row = {
            let mut conn = self.db.read().await?;
            users::get(&mut conn, user).await?.ok_or(ServiceError::NotFound)?
        };
        if row.totp_enabled_at.is_none() {
            return Err(ServiceError::Conflict { field: None, message: "two-factor authentication is not enabled".into() });
        }
        self.confirm_password(&row, password, "password", meta).await?;
        let mut tx = self.db.begin().await?;
        if !(self.accept_totp(&mut tx, &row, code).await? || self.spend_recovery_code(&mut tx, &row, code).await?) {
            return Err(ServiceError::field("code", "is not a current authenticator code or an unused recovery code"));
        }
        users::set_totp(&mut tx, user, None, None).await?;
        recovery_codes::delete_all(&mut tx, user).await?;
        let event = Event { action: "auth.two_factor_disabled", resource_type: "user", resource_id: Some(user.to_string()), changes: None };
        audit::record_account(&mut tx, user, &row.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Issues a new set of recovery codes (the old ones stop working); needs a current code.
    pub async fn regenerate_recovery_codes(&self, user: UserId, code: &str, meta: &RequestMeta) -> Result<Vec<String>> {
        let mut tx = self.db.begin().await?;
        let row = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        if row.totp_enabled_at.is_none() {
            return Err(ServiceError::Conflict { field: None, message: "two-factor authentication is not enabled".into() });
        }
        if !self.accept_totp(&mut tx, &row, code).await? {
            return Err(ServiceError::field("code", "does not match your authenticator"));
        }
        let codes = self.replace_recovery_codes(&mut tx, user).await?;
        let event = Event { action: "auth.recovery_codes_regenerated", resource_type: "user", resource_id: Some(user.to_string()), changes: None };
        audit::record_account(&mut tx, user, &row.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(codes)
    }

    /// Accepts a current authenticator code once: RFC 6238 §5.2 forbids accepting the same code
    /// twice, so the matched time step is remembered and older or equal steps are refused.
    pub(crate) async fn accept_totp(&self, conn: &mut Conn, user: &UserRow, code: &str) -> Result<bool> {
        let Some(sealed) = user.totp_secret.as_deref() else { return Ok(false) };
        let seed = self.keys.keyring.decrypt(sealed).map_err(ServiceError::internal)?;
        let seed = hex::decode(seed).map_err(ServiceError::internal)?;
        let now_secs = u64::try_from(self.now().as_millis() / 1000).unwrap_or_default();
        let Some(step) = totp(seed, &user.email)?.check(code.trim(), now_secs) else { return Ok(false) };
        let step = i64::try_from(step).map_err(ServiceError::internal)?;
        Ok(users::advance_totp_step(conn, user.id, step).await?)
    }

    pub(crate) async fn spend_recovery_code(&self, conn: &mut Conn, user: &UserRow, code: &str) -> Result<bool> {
        let hash = crypto::keyed_hash(self.keys.code_pepper.expose(), &normalise_recovery_code(code));
        Ok(recovery_codes::consume(conn, user.id, &hash, self.now()).await?)
    }

    async fn replace_recovery_codes(&self, conn: &mut Conn, user: UserId) -> Result<Vec<String>> {
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let hashes: Vec<String> =
            codes.iter().map(|c| crypto::keyed_hash(self.keys.code_pepper.expose(), &normalise_recovery_code(c))).collect();
        recovery_codes::replace_all(conn, user, &hashes, self.now()).await?;
        Ok(codes)
    }
}

fn totp(seed: Vec<u8>, email: &str) -> Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(seed)
        .with_issuer(Some(String::from("Zenalto")))
        .with_account_name(email.to_owned())
        .build()
        .map_err(ServiceError::internal)
}

/// `xxxxx-xxxxx` from an alphabet without look-alikes (no 0/o, 1/l/i).
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let bytes = crypto::random_bytes::<10>();
    let chars: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// People type recovery codes with varying case and separators.
fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}
