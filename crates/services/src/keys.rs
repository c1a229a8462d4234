//! Server secrets: the access-token signing key and the encryption keyring. Generated on first
//! start into `<data_dir>/secrets` with 0600 permissions and reused on every restart, so sessions
//! and encrypted data survive restarts. Several processes share them by sharing that folder (or,
//! for the signing key, by setting `auth.jwt_secret`).

use std::{
    collections::BTreeMap,
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};
use zenalto_domain::Secret;
use zenalto_settings::Settings;

use crate::crypto::random_bytes;

const JWT_FILE: &str = "jwt-signing.key";
const KEYRING_FILE: &str = "encryption-keys.toml";

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("cannot use secrets folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("secrets file {path} is malformed: {message}")]
    Malformed { path: PathBuf, message: String },
}

/// The keyring as stored: key id → base64 key, plus which id encrypts new data.
#[derive(Serialize, Deserialize)]
struct KeyringFile {
    active: String,
    keys: BTreeMap<String, String>,
}

pub struct Keys {
    pub jwt_signing_key: Secret<Vec<u8>>,
    /// Derived key for hashing 6-digit and recovery codes.
    pub code_pepper: Secret<Vec<u8>>,
    pub keyring: crate::vault::Keyring,
    dir: PathBuf,
}

impl Keys {
    /// Loads the secrets, generating any that do not exist yet.
    pub fn load_or_generate(settings: &Settings) -> Result<Self, KeysError> {
        let dir = settings.secrets_dir();
        create_private_dir(&dir)?;
        let jwt = if settings.auth.jwt_secret.is_set() {
            settings.auth.jwt_secret.expose().as_bytes().to_vec()
        } else {
            load_or_create(&dir.join(JWT_FILE), || STANDARD.encode(random_bytes::<64>()))
                .and_then(|text| decode(&dir.join(JWT_FILE), text.trim()))?
        };
        let keyring_path = dir.join(KEYRING_FILE);
        let keyring_text = load_or_create(&keyring_path, || {
            let file = KeyringFile { active: "k1".into(), keys: BTreeMap::from([("k1".into(), STANDARD.encode(random_bytes::<32>()))]) };
            toml::to_string(&file).unwrap_or_default()
        })?;
        let keyring = parse_keyring(&keyring_path, &keyring_text)?;
        let code_pepper = crate::crypto::keyed_hash(&jwt, "zenalto code pepper v1").into_bytes();
        Ok(Self { jwt_signing_key: Secret::new(jwt), code_pepper: Secret::new(code_pepper), keyring, dir })
    }

    /// Adds a new encryption key, makes it active and saves the keyring. Old keys stay so
    /// existing ciphertexts remain readable until they are re-encrypted.
    pub fn add_encryption_key(&mut self) -> Result<String, KeysError> {
        let id = self.keyring.next_id();
        let key = random_bytes::<32>();
        self.keyring.insert(id.clone(), key);
        self.keyring.set_active(&id);
        let file = KeyringFile {
            active: id.clone(),
            keys: self.keyring.iter().map(|(kid, key)| (kid.clone(), STANDARD.encode(key))).collect(),
        };
        let path = self.dir.join(KEYRING_FILE);
        write_private(&path, &toml::to_string(&file).unwrap_or_default())?;
        Ok(id)
    }
}

fn parse_keyring(path: &Path, text: &str) -> Result<crate::vault::Keyring, KeysError> {
    let malformed = |message: String| KeysError::Malformed { path: path.to_owned(), message };
    let file: KeyringFile = toml::from_str(text).map_err(|e| malformed(e.to_string()))?;
    let mut keyring = crate::vault::Keyring::default();
    for (id, b64) in file.keys {
        let bytes = STANDARD.decode(b64.trim()).map_err(|e| malformed(e.to_string()))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| malformed(format!("key {id} is not 32 bytes")))?;
        keyring.insert(id, key);
    }
    if !keyring.contains(&file.active) {
        return Err(malformed(format!("active key {} is missing", file.active)));
    }
    keyring.set_active(&file.active);
    Ok(keyring)
}

fn decode(path: &Path, text: &str) -> Result<Vec<u8>, KeysError> {
    STANDARD.decode(text).map_err(|e| KeysError::Malformed { path: path.to_owned(), message: e.to_string() })
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeysError + '_ {
    move |source| KeysError::Io { path: path.to_owned(), source }
}

fn create_private_dir(dir: &Path) -> Result<(), KeysError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

fn load_or_create(path: &Path, generate: impl FnOnce() -> String) -> Result<String, KeysError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let text = generate();
            write_private(path, &text)?;
            // Another process may have won the race to create it; always use what is on disk.
            fs::read_to_string(path).map_err(io(path))
        }
        Err(e) => Err(io(path)(e)),
    }
}

/// Writes a file readable only by its owner, atomically (temp file + rename).
fn write_private(path: &Path, text: &str) -> Result<(), KeysError> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io(&tmp))?;
    file.write_all(text.as_bytes()).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_generated_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings { data_dir: dir.path().to_owned(), ..Settings::default() };
        let first = Keys::load_or_generate(&settings).unwrap();
        let second = Keys::load_or_generate(&settings).unwrap();
        assert_eq!(first.jwt_signing_key.expose(), second.jwt_signing_key.expose());
        let sealed = first.keyring.encrypt("seed").unwrap();
        assert_eq!(second.keyring.decrypt(&sealed).unwrap(), "seed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for file in [JWT_FILE, KEYRING_FILE] {
                let mode = fs::metadata(settings.secrets_dir().join(file)).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{file}");
            }
        }
    }

    #[test]
    fn a_new_key_encrypts_while_old_ciphertexts_stay_readable() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings { data_dir: dir.path().to_owned(), ..Settings::default() };
        let mut keys = Keys::load_or_generate(&settings).unwrap();
        let old = keys.keyring.encrypt("seed").unwrap();
        let new_id = keys.add_encryption_key().unwrap();
        let reloaded = Keys::load_or_generate(&settings).unwrap();
        let new = reloaded.keyring.encrypt("seed").unwrap();
        assert!(new.contains(&format!(":{new_id}:")), "{new}");
        assert_eq!(reloaded.keyring.decrypt(&old).unwrap(), "seed");
    }
}
