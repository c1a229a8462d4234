//! Issuing and checking e-mailed 6-digit codes. A wrong guess is recorded even though the
//! operation fails, so the caller commits before returning the error: `check` reports the
//! outcome as an inner `Result` for exactly that reason.

use zenalto_domain::UserId;
use zenalto_store::{Conn, repo::email_codes};

use crate::{Result, ServiceError, Services, crypto};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePurpose {
    VerifyEmail,
    ResetPassword,
    ChangePassword,
}

impl CodePurpose {
    fn as_str(&self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangePassword => "change_password",
        }
    }
}

impl Services {
    /// Creates a code (replacing any earlier one for the same purpose) and returns it for mailing.
    pub(crate) async fn issue_code(&self, conn: &mut Conn, user: UserId, purpose: CodePurpose) -> Result<String> {
        let code = crypto::six_digit_code();
        let now = self.now();
        let hash = crypto::keyed_hash(self.keys.code_pepper.expose(), &code);
        email_codes::replace(conn, user, purpose.as_str(), &hash, now.plus_seconds(self.settings.auth.code_ttl_secs), now).await?;
        Ok(code)
    }

    pub(crate) fn code_minutes(&self) -> i64 {
        self.settings.auth.code_ttl_secs / 60
    }

    /// Checks and, when right, spends a code. Outer error: storage failed. Inner error: the code
    /// was wrong or expired — commit the transaction, then return it.
    pub(crate) async fn check_code(&self, conn: &mut Conn, user: UserId, purpose: CodePurpose, code: &str) -> Result<Result<()>> {
        let now = self.now();
        let max = self.settings.auth.code_max_attempts;
        let Some(row) = email_codes::current(conn, user, purpose.as_str()).await? else {
            return Ok(Err(ServiceError::CodeExpired));
        };
        if row.expires_at <= now || row.attempts >= max {
            email_codes::consume(conn, row.id, now).await?;
            return Ok(Err(ServiceError::CodeExpired));
        }
        let given = crypto::keyed_hash(self.keys.code_pepper.expose(), code.trim());
        if !crypto::hashes_equal(&given, &row.code_hash) {
            email_codes::record_attempt(conn, row.id).await?;
            let attempts_left = max - row.attempts - 1;
            if attempts_left <= 0 {
                email_codes::consume(conn, row.id, now).await?;
                return Ok(Err(ServiceError::CodeExpired));
            }
            return Ok(Err(ServiceError::CodeInvalid { attempts_left }));
        }
        if !email_codes::consume(conn, row.id, now).await? {
            return Ok(Err(ServiceError::CodeExpired));
        }
        Ok(Ok(()))
    }
}
