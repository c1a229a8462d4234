//! The prompt template library: the built-in templates and the workspace's own (post:read to
//! read and render, post:create to write), rendered with strict variables. Generation from a
//! template is in `template_generate.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_ai::local::templates::{self as library, RenderError, Variable};
use zenalto_domain::{Permission, Timestamp};
use zenalto_store::repo::ai_models::{self as repo, TemplateRow};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

const MAX_TEMPLATES: i64 = 200;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    /// A slug for built-ins ("promotional"), a UUID for the workspace's own.
    pub id: String,
    pub builtin: bool,
    pub name: String,
    pub category: String,
    pub instructions: String,
    pub body: String,
    pub variables: Vec<Variable>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateInput {
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub instructions: String,
    pub body: String,
    #[serde(default)]
    pub variables: Vec<Variable>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rendered {
    pub template_id: String,
    pub text: String,
}

fn builtin_views() -> Vec<TemplateView> {
    library::builtins()
        .into_iter()
        .map(|b| TemplateView {
            id: b.id.into(),
            builtin: true,
            name: b.name.into(),
            category: b.category.into(),
            instructions: b.instructions.into(),
            body: b.body.into(),
            variables: b.variables,
            created_at: None,
            updated_at: None,
        })
        .collect()
}

fn from_row(row: TemplateRow) -> TemplateView {
    TemplateView {
        variables: serde_json::from_str(&row.variables).unwrap_or_default(),
        id: row.id,
        builtin: false,
        name: row.name,
        category: row.category,
        instructions: row.instructions,
        body: row.body,
        created_at: Some(Timestamp::from_millis(row.created_at)),
        updated_at: Some(Timestamp::from_millis(row.updated_at)),
    }
}

pub(crate) fn render_error(error: RenderError) -> ServiceError {
    match &error {
        RenderError::Missing(name) | RenderError::Unknown(name) => {
            ServiceError::field(&format!("variables.{name}"), error.to_string())
        }
        RenderError::Undeclared(_) => ServiceError::field("body", error.to_string()),
        RenderError::BadName(_) => ServiceError::field("variables", error.to_string()),
    }
}

fn check(input: &TemplateInput) -> Result<()> {
    let bounded = |field: &str, value: &str, max: usize, required: bool| {
        let len = value.trim().chars().count();
        if (required && len == 0) || len > max {
            return Err(ServiceError::field(
                field,
                format!(
                    "{}1 to {max} characters",
                    if required { "" } else { "0 or " }
                ),
            ));
        }
        Ok(())
    };
    bounded("name", &input.name, 100, true)?;
    bounded("category", &input.category, 40, true)?;
    bounded("instructions", &input.instructions, 2000, false)?;
    bounded("body", &input.body, 5000, true)?;
    if input.variables.len() > 20 {
        return Err(ServiceError::field("variables", "at most 20"));
    }
    if let Some(v) = input
        .variables
        .iter()
        .find(|v| v.description.chars().count() > 300)
    {
        return Err(ServiceError::field(
            "variables",
            format!("{}: a description of at most 300 characters", v.name),
        ));
    }
    library::check(&input.body, &input.variables).map_err(render_error)
}

fn to_row(id: String, input: &TemplateInput, now: Timestamp) -> Result<TemplateRow> {
    Ok(TemplateRow {
        id,
        name: input.name.trim().to_owned(),
        category: input.category.trim().to_owned(),
        instructions: input.instructions.trim().to_owned(),
        body: input.body.clone(),
        variables: serde_json::to_string(&input.variables).map_err(ServiceError::internal)?,
        created_at: now.as_millis(),
        updated_at: now.as_millis(),
    })
}

impl Services {
    /// The built-in templates, then the workspace's own by name (post:read).
    pub async fn ai_templates(&self, access: &Access) -> Result<Vec<TemplateView>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let own = repo::list_templates(&mut conn, access.workspace_id, MAX_TEMPLATES).await?;
        Ok(builtin_views()
            .into_iter()
            .chain(own.into_iter().map(from_row))
            .collect())
    }

    /// One template, built-in or the workspace's (post:read).
    pub async fn ai_template(&self, access: &Access, id: &str) -> Result<TemplateView> {
        access.require(Permission::PostRead)?;
        if let Some(builtin) = builtin_views().into_iter().find(|t| t.id == id) {
            return Ok(builtin);
        }
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(ServiceError::NotFound);
        }
        let mut conn = self.db.read().await?;
        repo::get_template(&mut conn, access.workspace_id, id)
            .await?
            .map(from_row)
            .ok_or(ServiceError::NotFound)
    }

    /// Fills a template's variables (post:read); a missing or unknown variable is a 422 naming it.
    pub async fn ai_render_template(
        &self,
        access: &Access,
        id: &str,
        values: &BTreeMap<String, String>,
    ) -> Result<Rendered> {
        let template = self.ai_template(access, id).await?;
        let text =
            library::render(&template.body, &template.variables, values).map_err(render_error)?;
        Ok(Rendered {
            template_id: template.id,
            text,
        })
    }

    pub async fn create_ai_template(
        &self,
        access: &Access,
        input: TemplateInput,
        meta: &RequestMeta,
    ) -> Result<TemplateView> {
        access.require(Permission::PostCreate)?;
        check(&input)?;
        let row = to_row(uuid::Uuid::now_v7().to_string(), &input, self.now())?;
        let mut tx = self.db.begin().await?;
        if repo::count_templates(&mut tx, access.workspace_id).await? >= MAX_TEMPLATES {
            return Err(ServiceError::field(
                "name",
                format!("a workspace keeps at most {MAX_TEMPLATES} templates"),
            ));
        }
        let author = access.actor.user_id.map(|u| u.to_string());
        repo::insert_template(&mut tx, access.workspace_id, author.as_deref(), &row).await?;
        let event = audit::Event {
            action: "ai.template.create",
            resource_type: "ai_template",
            resource_id: Some(row.id.clone()),
            changes: Some(json!({ "name": row.name })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(from_row(row))
    }

    /// Replaces a workspace template (post:create); built-ins cannot be changed.
    pub async fn update_ai_template(
        &self,
        access: &Access,
        id: &str,
        input: TemplateInput,
        meta: &RequestMeta,
    ) -> Result<TemplateView> {
        access.require(Permission::PostCreate)?;
        if library::builtins().iter().any(|b| b.id == id) {
            return Err(ServiceError::field(
                "id",
                "built-in templates cannot be changed; create your own from it",
            ));
        }
        uuid::Uuid::parse_str(id).map_err(|_| ServiceError::NotFound)?;
        check(&input)?;
        let row = to_row(id.to_owned(), &input, self.now())?;
        let mut tx = self.db.begin().await?;
        if !repo::update_template(&mut tx, access.workspace_id, &row, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        let event = audit::Event {
            action: "ai.template.update",
            resource_type: "ai_template",
            resource_id: Some(id.to_owned()),
            changes: Some(json!({ "name": row.name })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let stored = repo::get_template(&mut tx, access.workspace_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(from_row(stored))
    }

    pub async fn delete_ai_template(
        &self,
        access: &Access,
        id: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        access.require(Permission::PostCreate)?;
        if library::builtins().iter().any(|b| b.id == id) {
            return Err(ServiceError::field(
                "id",
                "built-in templates cannot be deleted",
            ));
        }
        uuid::Uuid::parse_str(id).map_err(|_| ServiceError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !repo::delete_template(&mut tx, access.workspace_id, id).await? {
            return Err(ServiceError::NotFound);
        }
        let event = audit::Event {
            action: "ai.template.delete",
            resource_type: "ai_template",
            resource_id: Some(id.to_owned()),
            changes: None,
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(())
    }
}
