//! One operation of the API, as `operations.rs` declares it: method, path, who may call it,
//! its parameters, body and answers. Schemas come from core's types (`ToSchema`, derived
//! behind core's `openapi` feature), so the document cannot describe a field the wire lacks.

use utoipa::openapi::schema::{Ref, Schema};
use utoipa::openapi::{RefOr, Required};
use utoipa::{PartialSchema, ToSchema};

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// As on the wire: `GET`, `POST`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Writes need the CSRF token when a marketer's session cookie authenticates them.
    pub fn is_write(self) -> bool {
        self != Method::Get
    }
}

/// Who may call an operation; decides its `security` and its 401/403 answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, no credentials read: the dashboard's sign-up and login, the widget's first view.
    Public,
    /// Anyone, from an allowed origin; a member's token, if sent, personalises the answer.
    Anyone,
    /// A member of the community: the brand's token (`Authorization: Bearer <jwt>`).
    Member,
    /// Staff: a marketer's session with a role in the community (writes add the CSRF token),
    /// or the operator's bearer token. Core decides which roles may.
    Staff,
    /// Moderators: a member moderator's token, or staff as above.
    Mods,
    /// A signed-in marketer (the dashboard's session; writes add the CSRF token).
    Marketer,
    /// The deployment's operator only (`Authorization: Bearer <OPERATOR_TOKEN>`).
    Operator,
}

impl Who {
    /// For the operation's description.
    pub fn describe(self) -> &'static str {
        match self {
            Who::Public => {
                "Who: anyone; no credentials are read (a browser's page must still be on a community's allowed origins)."
            }
            Who::Anyone => {
                "Who: anyone, from an allowed origin; a member's token, if sent, personalises the answer."
            }
            Who::Member => "Who: a member (the brand's sign-in token).",
            Who::Staff => {
                "Who: staff with a role that allows it (a dashboard session, or the operator's token)."
            }
            Who::Mods => {
                "Who: moderators (a member moderator's token) or staff (a dashboard session, or the operator's token)."
            }
            Who::Marketer => "Who: a signed-in marketer (the dashboard's session).",
            Who::Operator => "Who: the deployment's operator.",
        }
    }

    /// Alternatives of security schemes (each inner list: all of them together).
    pub fn security(self, method: Method) -> Vec<Vec<&'static str>> {
        let session = if method.is_write() {
            vec![SESSION, CSRF]
        } else {
            vec![SESSION]
        };
        match self {
            Who::Public => vec![vec![]],
            Who::Anyone => vec![vec![], vec![MEMBER]],
            Who::Member => vec![vec![MEMBER]],
            Who::Staff => vec![session, vec![OPERATOR]],
            Who::Mods => vec![vec![MEMBER], session, vec![OPERATOR]],
            Who::Marketer => vec![session],
            Who::Operator => vec![vec![OPERATOR]],
        }
    }

    /// Whether the operation refuses callers without credentials (401).
    pub fn needs_credentials(self) -> bool {
        !matches!(self, Who::Public | Who::Anyone)
    }
}

/// Names of the security schemes in `components.securitySchemes`.
pub const MEMBER: &str = "member";
pub const SESSION: &str = "marketer_session";
pub const CSRF: &str = "csrf";
pub const OPERATOR: &str = "operator";

/// A schema and the named component schemas it refers to.
#[derive(Clone)]
pub struct Schemaed {
    pub schema: RefOr<Schema>,
    pub components: Vec<(String, RefOr<Schema>)>,
}

/// `T` by reference to its component (`#/components/schemas/{name}`).
pub fn reference<T: ToSchema>() -> Schemaed {
    let name = T::name().into_owned();
    let mut components = vec![(name.clone(), T::schema())];
    T::schemas(&mut components);
    Schemaed {
        schema: RefOr::Ref(Ref::from_schema_name(name)),
        components,
    }
}

/// `T`'s schema written in place (plain strings and numbers), and what it refers to.
pub fn inline<T: ToSchema>() -> Schemaed {
    let mut components = Vec::new();
    T::schemas(&mut components);
    Schemaed {
        schema: T::schema(),
        components,
    }
}

/// `Vec<T>`, by reference to `T`.
pub fn array_of<T: ToSchema>() -> Schemaed {
    let item = reference::<T>();
    Schemaed {
        schema: utoipa::openapi::schema::ArrayBuilder::new()
            .items(item.schema)
            .into(),
        components: item.components,
    }
}

/// A query or header parameter.
#[derive(Clone)]
pub struct Param {
    pub name: &'static str,
    pub description: &'static str,
    pub required: Required,
    pub schema: Schemaed,
    pub example: Option<serde_json::Value>,
}

/// A JSON request body.
#[derive(Clone)]
pub struct Body {
    pub schema: Schemaed,
    /// Some bodies may be left out (`{}` is assumed).
    pub required: bool,
}

/// What a success answer carries.
#[derive(Clone)]
pub enum Content {
    Json(Box<Schemaed>),
    /// A CSV file (UTF-8 with a byte-order mark).
    Csv,
    Empty,
}

/// One success answer.
#[derive(Clone)]
pub struct Success {
    pub status: u16,
    pub description: &'static str,
    pub content: Content,
    /// Response headers: name and description.
    pub headers: Vec<(&'static str, &'static str)>,
}

/// One operation, built with [`get`], [`post`], … and the methods below.
#[derive(Clone)]
pub struct Op {
    pub method: Method,
    pub path: &'static str,
    pub summary: &'static str,
    pub description: Option<&'static str>,
    pub tag: &'static str,
    pub who: Who,
    pub query: Vec<Param>,
    pub headers: Vec<Param>,
    pub body: Option<Body>,
    pub success: Vec<Success>,
    /// Error statuses beyond the ones every operation of its kind can answer.
    pub extra_errors: Vec<u16>,
}

fn op(method: Method, path: &'static str, summary: &'static str) -> Op {
    Op {
        method,
        path,
        summary,
        description: None,
        tag: "",
        who: Who::Anyone,
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
        success: Vec::new(),
        extra_errors: Vec::new(),
    }
}

pub fn get(path: &'static str, summary: &'static str) -> Op {
    op(Method::Get, path, summary)
}

pub fn post(path: &'static str, summary: &'static str) -> Op {
    op(Method::Post, path, summary)
}

pub fn put(path: &'static str, summary: &'static str) -> Op {
    op(Method::Put, path, summary)
}

pub fn patch(path: &'static str, summary: &'static str) -> Op {
    op(Method::Patch, path, summary)
}

pub fn delete(path: &'static str, summary: &'static str) -> Op {
    op(Method::Delete, path, summary)
}

impl Op {
    pub fn who(mut self, who: Who) -> Self {
        self.who = who;
        self
    }

    /// More words than the summary.
    pub fn describe(mut self, description: &'static str) -> Self {
        self.description = Some(description);
        self
    }

    /// A required JSON body of type `T`.
    pub fn body<T: ToSchema>(mut self) -> Self {
        self.body = Some(Body {
            schema: reference::<T>(),
            required: true,
        });
        self
    }

    /// A JSON body of type `T` that may be left out.
    pub fn optional_body<T: ToSchema>(mut self) -> Self {
        self.body = Some(Body {
            schema: reference::<T>(),
            required: false,
        });
        self
    }

    /// A JSON answer of type `T` with `status`.
    pub fn ok<T: ToSchema>(self, status: u16, description: &'static str) -> Self {
        self.ok_with(status, description, reference::<T>())
    }

    /// A JSON answer with `status` and a schema made by hand (an array, say).
    pub fn ok_with(mut self, status: u16, description: &'static str, schema: Schemaed) -> Self {
        self.success.push(Success {
            status,
            description,
            content: Content::Json(Box::new(schema)),
            headers: Vec::new(),
        });
        self
    }

    /// An answer without a body.
    pub fn no_content(mut self, status: u16, description: &'static str) -> Self {
        self.success.push(Success {
            status,
            description,
            content: Content::Empty,
            headers: Vec::new(),
        });
        self
    }

    /// A CSV file.
    pub fn csv(mut self, description: &'static str) -> Self {
        self.success.push(Success {
            status: 200,
            description,
            content: Content::Csv,
            headers: vec![(
                "content-disposition",
                "`attachment; filename=\"event-{id}-attendees.csv\"`",
            )],
        });
        self
    }

    /// A header on every success answer added so far (e.g. `set-cookie`).
    pub fn answer_header(mut self, name: &'static str, description: &'static str) -> Self {
        for success in &mut self.success {
            success.headers.push((name, description));
        }
        self
    }

    /// An optional query parameter of type `T` (written in place).
    pub fn query<T: ToSchema>(self, name: &'static str, description: &'static str) -> Self {
        self.query_with(name, description, inline::<T>(), None)
    }

    /// An optional query parameter with a schema made by hand and an example.
    pub fn query_with(
        mut self,
        name: &'static str,
        description: &'static str,
        schema: Schemaed,
        example: Option<serde_json::Value>,
    ) -> Self {
        self.query.push(Param {
            name,
            description,
            required: Required::False,
            schema,
            example,
        });
        self
    }

    /// A required query parameter of type `T` (written in place), with an example.
    pub fn required_query<T: ToSchema>(
        mut self,
        name: &'static str,
        description: &'static str,
        example: &'static str,
    ) -> Self {
        self.query.push(Param {
            name,
            description,
            required: Required::True,
            schema: inline::<T>(),
            example: Some(example.into()),
        });
        self
    }

    /// An optional request header of type `T`.
    pub fn header<T: ToSchema>(mut self, name: &'static str, description: &'static str) -> Self {
        self.headers.push(Param {
            name,
            description,
            required: Required::False,
            schema: inline::<T>(),
            example: None,
        });
        self
    }

    /// `?cursor=…&limit=…` of a list.
    pub fn list(self) -> Self {
        self.query::<String>(
            "cursor",
            "Where the page starts: the `next` of the previous page.",
        )
        .query::<u32>("limit", "Page size, 1–50 (default 20).")
    }

    /// An error status this operation can answer beyond those of its kind.
    pub fn error(mut self, status: u16) -> Self {
        self.extra_errors.push(status);
        self
    }

    /// The error statuses this operation can answer: its kind's and [`Op::error`]'s.
    pub fn error_statuses(&self) -> Vec<u16> {
        let mut statuses = vec![500];
        let has_input = self.body.is_some()
            || !self.query.is_empty()
            || self.path.matches('{').count() > usize::from(self.in_community());
        if has_input || self.method.is_write() {
            statuses.push(400);
        }
        if self.who.needs_credentials() {
            statuses.extend([401, 403]);
        }
        if self.in_community() {
            // origin_not_allowed, feature_disabled, banned…; community_not_found.
            statuses.extend([403, 404]);
        }
        if self.path.matches('{').count() > usize::from(self.in_community()) {
            statuses.push(404);
        }
        if self.method.is_write() && self.who != Who::Public {
            statuses.push(409);
        }
        if self.idempotent() {
            // `Idempotency-Key` reused for another request; writes to a community are
            // rate-limited per caller and per address.
            statuses.extend([422, 429]);
        }
        statuses.extend(&self.extra_errors);
        statuses.sort_unstable();
        statuses.dedup();
        statuses
    }

    /// A write to a community: it takes an `Idempotency-Key` (and is rate-limited).
    pub fn idempotent(&self) -> bool {
        self.in_community() && self.method.is_write()
    }

    /// Under `/api/v1/communities/{slug}`.
    pub fn in_community(&self) -> bool {
        self.path.starts_with("/api/v1/communities/{slug}")
    }

    /// `get_communities_slug_threads_thread`: unique, from method and path.
    pub fn operation_id(&self) -> String {
        let path = self
            .path
            .trim_start_matches("/api/v1/")
            .replace(['{', '}'], "")
            .replace(['/', '-', '.'], "_");
        format!("{}_{}", self.method.as_str().to_ascii_lowercase(), path)
    }

    /// The `{name}`s of the path, in order.
    pub fn path_params(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }
}

/// Sets `tag` on every operation of an area.
pub fn area(tag: &'static str, ops: Vec<Op>) -> Vec<Op> {
    ops.into_iter().map(|o| Op { tag, ..o }).collect()
}

/// One of some fixed strings (a query parameter's choices).
pub fn one_of_strings(choices: &[&str]) -> Schemaed {
    Schemaed {
        schema: utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(choices.iter().copied()))
            .into(),
        components: Vec::new(),
    }
}

/// Either of two types (an answer that depends on the query); `anyOf`, as their shapes may
/// overlap.
pub fn either<A: ToSchema, B: ToSchema>() -> Schemaed {
    let (a, b) = (reference::<A>(), reference::<B>());
    Schemaed {
        schema: utoipa::openapi::schema::AnyOfBuilder::new()
            .item(a.schema)
            .item(b.schema)
            .into(),
        components: a.components.into_iter().chain(b.components).collect(),
    }
}

/// A generic type `T` over `Arg` (`Paged<Application>`) under a name of its own: every
/// instance shares the derived name (`Paged`), and `T` does not list `Arg` as its own.
pub fn generic<T: ToSchema, Arg: ToSchema>(name: &'static str) -> Schemaed {
    let mut components = vec![(name.to_owned(), T::schema())];
    T::schemas(&mut components);
    components.extend(reference::<Arg>().components);
    Schemaed {
        schema: RefOr::Ref(Ref::from_schema_name(name)),
        components,
    }
}

/// A plain schema (e.g. `String`) as [`PartialSchema`].
pub fn plain<T: PartialSchema>() -> RefOr<Schema> {
    T::schema()
}
