//! Workspace roles and the permission matrix. The matrix is the single source of truth for
//! what each role may do; API keys carry a subset of permissions (their scopes) on top of it.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// Roles, from most to least powerful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Editor,
    Viewer,
}

/// Everything a member or API key can be allowed to do in a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    PostCreate,
    PostRead,
    PostUpdate,
    PostDelete,
    PostPublish,
    AnalyticsView,
    AnalyticsExport,
    TeamInvite,
    TeamManage,
    SettingsView,
    SettingsUpdate,
    BillingView,
    BillingManage,
    AuditView,
}

impl Permission {
    pub const ALL: [Permission; 14] = [
        Self::PostCreate,
        Self::PostRead,
        Self::PostUpdate,
        Self::PostDelete,
        Self::PostPublish,
        Self::AnalyticsView,
        Self::AnalyticsExport,
        Self::TeamInvite,
        Self::TeamManage,
        Self::SettingsView,
        Self::SettingsUpdate,
        Self::BillingView,
        Self::BillingManage,
        Self::AuditView,
    ];

    /// The stable name used in API responses and API-key scopes, e.g. `post:create`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::PostCreate => "post:create",
            Self::PostRead => "post:read",
            Self::PostUpdate => "post:update",
            Self::PostDelete => "post:delete",
            Self::PostPublish => "post:publish",
            Self::AnalyticsView => "analytics:view",
            Self::AnalyticsExport => "analytics:export",
            Self::TeamInvite => "team:invite",
            Self::TeamManage => "team:manage",
            Self::SettingsView => "settings:view",
            Self::SettingsUpdate => "settings:update",
            Self::BillingView => "billing:view",
            Self::BillingManage => "billing:manage",
            Self::AuditView => "audit:view",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown permission `{0}`")]
pub struct UnknownPermission(pub String);

impl FromStr for Permission {
    type Err = UnknownPermission;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownPermission(s.to_owned()))
    }
}

impl Role {
    pub const ALL: [Role; 5] = [Self::Owner, Self::Admin, Self::Manager, Self::Editor, Self::Viewer];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Editor => "editor",
            Self::Viewer => "viewer",
        }
    }

    /// The permission matrix.
    ///
    /// | permission            | owner | admin | manager | editor | viewer |
    /// |-----------------------|:-----:|:-----:|:-------:|:------:|:------:|
    /// | post create/update/delete | ✓ | ✓ | ✓ | ✓ | |
    /// | post read             | ✓ | ✓ | ✓ | ✓ | ✓ |
    /// | post publish          | ✓ | ✓ | ✓ | | |
    /// | analytics view        | ✓ | ✓ | ✓ | ✓ | ✓ |
    /// | analytics export      | ✓ | ✓ | ✓ | | |
    /// | team invite           | ✓ | ✓ | ✓ | | |
    /// | team manage           | ✓ | ✓ | | | |
    /// | settings view         | ✓ | ✓ | ✓ | ✓ | |
    /// | settings update       | ✓ | ✓ | | | |
    /// | billing view          | ✓ | ✓ | | | |
    /// | billing manage        | ✓ | | | | |
    /// | audit view            | ✓ | ✓ | | | |
    ///
    /// Editors write but do not publish: their posts go through approval.
    pub fn allows(&self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Admin => permission != BillingManage,
            Role::Manager => matches!(
                permission,
                PostCreate | PostRead | PostUpdate | PostDelete | PostPublish | AnalyticsView | AnalyticsExport | TeamInvite | SettingsView
            ),
            Role::Editor => matches!(permission, PostCreate | PostRead | PostUpdate | PostDelete | AnalyticsView | SettingsView),
            Role::Viewer => matches!(permission, PostRead | AnalyticsView),
        }
    }

    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| self.allows(*p)).collect()
    }

    /// Whether a member with this role may grant `other` (by invitation or role change).
    /// Nobody grants a role above their own; only owners create owners; managers invite
    /// editors and viewers only.
    pub fn may_grant(&self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => other >= Role::Admin,
            Role::Manager => other >= Role::Editor,
            Role::Editor | Role::Viewer => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role `{0}`; expected owner, admin, manager, editor or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl TryFrom<String> for Role {
    type Error = UnknownRole;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn permission_names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>().unwrap(), p);
        }
        assert!("post:destroy".parse::<Permission>().is_err());
    }

    #[test]
    fn matrix_matches_the_documented_table() {
        let expect = |role: Role, allowed: &[Permission]| {
            for p in Permission::ALL {
                assert_eq!(role.allows(p), allowed.contains(&p), "{role} / {p}");
            }
        };
        expect(Role::Viewer, &[PostRead, AnalyticsView]);
        expect(Role::Editor, &[PostCreate, PostRead, PostUpdate, PostDelete, AnalyticsView, SettingsView]);
        expect(
            Role::Manager,
            &[PostCreate, PostRead, PostUpdate, PostDelete, PostPublish, AnalyticsView, AnalyticsExport, TeamInvite, SettingsView],
        );
        let admin: Vec<_> = Permission::ALL.into_iter().filter(|p| *p != BillingManage).collect();
        expect(Role::Admin, &admin);
        expect(Role::Owner, &Permission::ALL);
    }

    #[test]
    fn nobody_grants_above_their_own_role() {
        assert!(Role::Owner.may_grant(Role::Owner));
        assert!(!Role::Admin.may_grant(Role::Owner));
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(!Role::Manager.may_grant(Role::Manager));
        assert!(Role::Manager.may_grant(Role::Viewer));
        assert!(!Role::Editor.may_grant(Role::Viewer));
    }
}
